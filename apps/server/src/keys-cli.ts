/*
 * Field-encryption keys (a command-line tool: prints to the terminal on purpose).
 *
 *   npm run keys -- generate [id]   print a new key line for DATA_ENCRYPTION_KEYS, and an index key
 *   npm run keys -- rotate          re-encrypt every sensitive value with the first key of
 *                                   DATA_ENCRYPTION_KEYS and recompute blind indexes with DATA_INDEX_KEY
 */
import { randomBytes } from "node:crypto";
import { createFieldCipher, generateFieldKey, rotateFieldKeys } from "@kaveret/db";
import { loadConfigForCli } from "./config/for-cli.ts";
import { openConfiguredDatabase } from "./server.ts";

const [command, arg] = process.argv.slice(2);

if (command === "generate") {
  const id = arg ?? `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}`;
  console.log(
    `DATA_ENCRYPTION_KEYS line (put it FIRST, keep the old keys after it until rotation is done):`,
  );
  console.log(`  ${generateFieldKey(id)}`);
  console.log(`A new DATA_INDEX_KEY (only when you also rotate the index key):`);
  console.log(`  ${randomBytes(32).toString("base64")}`);
} else if (command === "rotate") {
  const config = loadConfigForCli();
  if (!config) process.exit(78);
  const cipher = createFieldCipher(config.fieldKeys);
  const database = await openConfiguredDatabase(config);
  const started = Date.now();
  try {
    const result = await rotateFieldKeys(database, cipher, {
      onProgress: (p) => process.stdout.write(`\r${p.table}: ${p.done} rows`),
    });
    process.stdout.write("\n");
    console.log(
      `Rotated to key "${cipher.currentKeyId}": ${result.residents} residents, ${result.merges} merge snapshots, ${result.imports} pending imports, ${result.needs} need contacts, ${result.attachments} need photos, ${result.formPhotos} survey photos in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    console.log("You may now remove the old keys from DATA_ENCRYPTION_KEYS.");
  } finally {
    await database.close();
  }
} else {
  console.error("usage: npm run keys -- generate [id] | rotate");
  process.exit(64);
}
