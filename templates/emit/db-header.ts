import type { Generated } from "{{runtime}}";
