// Runs one SQL query with DuckDB and prints its rows as JSON lines: node query.mjs "select ..."
import { DuckDBInstance } from '@duckdb/node-api';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const result = await con.runAndReadAll(process.argv[2]);
for (const row of result.getRowObjectsJson()) console.log(JSON.stringify(row));
