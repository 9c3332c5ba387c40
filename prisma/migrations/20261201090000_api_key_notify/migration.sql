-- Every running refgraph remembers verified API keys for a while. A change to a key (revoked,
-- deleted, scopes or name edited, or a key created whose hash a server may have refused before)
-- is announced on a channel of its own with the key's hash, so every server forgets that key
-- within about a second. It never touches the data version: using or revoking a key must not
-- empty the response caches. `last_used_at` bookkeeping is not announced.
CREATE FUNCTION "refgraph_announce_api_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('refgraph_api_key_changed', OLD.hash);
  ELSE
    PERFORM pg_notify('refgraph_api_key_changed', NEW.hash);
    IF TG_OP = 'UPDATE' AND NEW.hash IS DISTINCT FROM OLD.hash THEN
      PERFORM pg_notify('refgraph_api_key_changed', OLD.hash);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "api_key_announce_change"
  AFTER INSERT OR DELETE OR UPDATE OF "revoked_at", "scopes", "name", "hash", "prefix" ON "api_key"
  FOR EACH ROW EXECUTE FUNCTION "refgraph_announce_api_key_change"();
