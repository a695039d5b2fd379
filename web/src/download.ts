// Files the person saves from a page; nothing leaves the browser.

/** Offers text as a file to save (a blob URL, so the page's CSP allows it). */
export function saveFile(filename: string, text: string, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Offers data as a JSON file to save. */
export function saveJSON(filename: string, data: unknown) {
  saveFile(filename, JSON.stringify(data, null, 2));
}
