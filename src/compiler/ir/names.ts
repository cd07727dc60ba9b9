/** Naming rules shared by the IR and the emitters. */

/** `BookReview` -> `book_review`; `HTTPServer` -> `http_server`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();
}

/** `book-review` -> `BookReview`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/** `BookReview` -> `book-review` (file names of emitted modules). */
export function kebabCase(name: string): string {
  return snakeCase(name).replace(/_/g, "-");
}

/** `BookReview` -> `bookReview`. */
export function camelCase(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

/** True for names usable as JS identifiers in emitted code. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/**
 * `Animal` -> `An Animal`, `Order` -> `An Order`, `User` -> `A User`: the
 * indefinite article by how the name is said (first letter, a few vowel
 * sounds spelled otherwise, and acronyms read letter by letter).
 */
export function withArticle(name: string, capital = true): string {
  const an = /^[A-Z]{2}/.test(name)
    ? /^[AEFHILMNORSX]/.test(name)
    : /^(hour|honest|honou?r|heir)/i.test(name) ||
      (/^[aeiou]/i.test(name) && !/^(uni|use|usu|ute|uti|eu|ewe|one|once|ubiq)/i.test(name));
  const article = an ? "an" : "a";
  return `${capital ? article[0]!.toUpperCase() + article.slice(1) : article} ${name}`;
}
