/** A database URL fit to print: the password (in the user info or a `password=` parameter) replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*:)[^/?#]*@/i, "$1***@") // up to the last "@" of the host part
    .replace(/([?&]password=)[^&#]*/gi, "$1***");
}
