// The pagination footer under the admin's long lists: "Page N of M" with
// previous/next links (plain URLs, so the list's loader does the paging).
import { Box, InlineStack, Pagination } from "@shopify/polaris";

export function PageFooter({ page, pageCount, pageUrl }: { page: number; pageCount: number; pageUrl: (page: number) => string }) {
  if (pageCount <= 1) return null;
  return (
    <Box padding="300" borderBlockStartWidth="025" borderColor="border">
      <InlineStack align="center">
        <Pagination
          hasPrevious={page > 1}
          previousURL={page > 1 ? pageUrl(page - 1) : undefined}
          hasNext={page < pageCount}
          nextURL={page < pageCount ? pageUrl(page + 1) : undefined}
          label={`Page ${page} of ${pageCount}`}
        />
      </InlineStack>
    </Box>
  );
}
