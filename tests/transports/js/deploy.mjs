// A campaign deployed through the fake's HTTP endpoint with the AWS SDK for JavaScript v3,
// its statuses moved by the control API: node deploy.mjs <endpoint URL>. Prints one JSON
// line of what it saw; exits non-zero on anything unexpected.
import {
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateEventTrackerCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeCampaignCommand,
  PersonalizeClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-personalize";
import {
  GetRecommendationsCommand,
  PersonalizeRuntimeClient,
} from "@aws-sdk/client-personalize-runtime";
import { PersonalizeEventsClient, PutEventsCommand } from "@aws-sdk/client-personalize-events";

const endpoint = process.argv[2];
const options = {
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret" },
};
const personalize = new PersonalizeClient(options);
const runtime = new PersonalizeRuntimeClient(options);
const events = new PersonalizeEventsClient(options);

async function settle() {
  const answer = await fetch(`${endpoint}/_stub/settle`, { method: "POST" });
  if (!answer.ok) throw new Error(`settle answered ${answer.status}`);
  return (await answer.json()).now;
}

const schema = JSON.stringify({
  type: "record",
  name: "Interactions",
  namespace: "com.amazonaws.personalize.schema",
  fields: [
    { name: "USER_ID", type: "string" },
    { name: "ITEM_ID", type: "string" },
    { name: "TIMESTAMP", type: "long" },
  ],
  version: "1.0",
});

const { datasetGroupArn } = await personalize.send(new CreateDatasetGroupCommand({ name: "shop" }));
await settle();
const { schemaArn } = await personalize.send(new CreateSchemaCommand({ name: "events", schema }));
await personalize.send(
  new CreateDatasetCommand({
    name: "events",
    schemaArn,
    datasetGroupArn,
    datasetType: "Interactions",
  }),
);
await settle();
const { solutionArn } = await personalize.send(
  new CreateSolutionCommand({
    name: "recs",
    datasetGroupArn,
    recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
  }),
);
await settle();
const { solutionVersionArn } = await personalize.send(
  new CreateSolutionVersionCommand({ solutionArn }),
);
await settle();
const { campaignArn } = await personalize.send(
  new CreateCampaignCommand({ name: "home", solutionVersionArn }),
);
const pending = (await personalize.send(new DescribeCampaignCommand({ campaignArn }))).campaign;
await settle();
const active = (await personalize.send(new DescribeCampaignCommand({ campaignArn }))).campaign;

const { itemList } = await runtime.send(
  new GetRecommendationsCommand({ campaignArn, userId: "u1", numResults: 5 }),
);

const { trackingId } = await personalize.send(
  new CreateEventTrackerCommand({ name: "clicks", datasetGroupArn }),
);
await settle();
await events.send(
  new PutEventsCommand({
    trackingId,
    sessionId: "session-1",
    userId: "u1",
    eventList: [{ eventType: "click", itemId: "shoe", sentAt: new Date("2024-01-01T00:00:00Z") }],
  }),
);

let missing = null;
try {
  await personalize.send(
    new DescribeCampaignCommand({
      campaignArn: campaignArn.replace("campaign/home", "campaign/none"),
    }),
  );
} catch (error) {
  if (!(error instanceof ResourceNotFoundException)) throw error;
  missing = { name: error.name, status: error.$metadata.httpStatusCode };
}

console.log(
  JSON.stringify({
    campaignArn,
    statuses: [pending.status, active.status],
    created: pending.creationDateTime instanceof Date,
    items: itemList.map((item) => item.itemId),
    missing,
  }),
);
