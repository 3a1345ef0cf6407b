// The emails Encore sent one customer (on the customer page).
import { Badge, BlockStack, Box, Card, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";
import { formatDateTime } from "../services/loyalty/display";

export interface CustomerEmailRow {
  id: string;
  createdAt: string;
  kind: string;
  subject: string;
  status: string;
  error: string | null;
  openedAt: string | null;
  clickedAt: string | null;
}

const TONE: Record<string, "success" | "critical" | "attention" | "info"> = { sent: "success", failed: "critical", skipped: "attention", queued: "info" };
const KIND: Record<string, string> = {
  thank_you: "Thank-you",
  review_request: "Review request",
  reward_ready: "Reward ready",
  points_expiring: "Points expiring",
  win_back: "Win-back",
  test: "Test",
};

export function CustomerEmails({ customerId, emails, total }: { customerId: string; emails: CustomerEmailRow[]; total: number }) {
  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Emails
            </Text>
            {total > emails.length && <Link url={`/app/emails?tab=log&customer=${customerId}`}>All {total} emails</Link>}
          </InlineStack>
        </Box>
        <IndexTable
          resourceName={{ singular: "email", plural: "emails" }}
          itemCount={emails.length}
          selectable={false}
          emptyState={
            <Box padding="400">
              <Text as="p" tone="subdued">
                No emails sent to this customer yet.
              </Text>
            </Box>
          }
          headings={[{ title: "Date" }, { title: "Email" }, { title: "Subject" }, { title: "Status" }, { title: "Engagement" }]}
        >
          {emails.map((m, i) => (
            <IndexTable.Row id={m.id} key={m.id} position={i}>
              <IndexTable.Cell>{formatDateTime(m.createdAt)}</IndexTable.Cell>
              <IndexTable.Cell>{KIND[m.kind] ?? m.kind}</IndexTable.Cell>
              <IndexTable.Cell>{m.subject}</IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={TONE[m.status]}>{m.status}</Badge>
                {m.error && (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {m.error}
                  </Text>
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>{m.clickedAt ? "Clicked" : m.openedAt ? "Opened" : "—"}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}
