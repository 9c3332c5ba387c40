import { builder } from '../builder.js';

interface WorkflowStepShape {
  stage: string;
  actor: string;
  description: string;
}

const WorkflowStep = builder.objectRef<WorkflowStepShape>('WorkflowStep').implement({
  description: 'One step from order to signed report.',
  fields: (t) => ({
    stage: t.exposeString('stage', {
      description: 'AUTHORIZATION, PREPARATION, ADMINISTRATION, ACQUISITION, INTERPRETATION, ...',
    }),
    actor: t.exposeString('actor'),
    description: t.exposeString('description'),
  }),
});

export const ClinicalContext = builder.prismaObject('ClinicalContext', {
  fields: (t) => ({
    scenario: t.exposeString('scenario'),
    workflow: t.field({
      type: [WorkflowStep],
      select: { workflow: true },
      resolve: (context) => context.workflow as unknown as WorkflowStepShape[],
    }),
    componentBilling: t.exposeString('componentBilling'),
    source: t.exposeString('source'),
  }),
});
