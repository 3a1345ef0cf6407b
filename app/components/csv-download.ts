// Downloads a CSV from one of the app's export routes. A plain link would
// leave the embedded app without its session token; fetch inside the admin
// carries it (App Bridge adds the Authorization header), and the file is then
// handed to the browser as a Blob.
export async function downloadCsv(url: string, filename: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Export failed (HTTP ${response.status})`);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(href);
}
