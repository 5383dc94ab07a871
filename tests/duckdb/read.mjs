// Prints, for each Parquet file given, one JSON line: the row count DuckDB reads and each column's DuckDB type.
import { DuckDBInstance } from '@duckdb/node-api';
const con = await (await DuckDBInstance.create(':memory:')).connect();
for (const file of process.argv.slice(2)) {
  const path = file.replaceAll("'", "''");
  const count = await con.runAndReadAll(`select count(*) as n from read_parquet('${path}')`);
  const types = await con.runAndReadAll(`select column_name, column_type from (describe select * from read_parquet('${path}'))`);
  const columns = Object.fromEntries(types.getRowObjects().map(r => [r.column_name, r.column_type]));
  console.log(JSON.stringify({ file, rows: Number(count.getRowObjects()[0].n), columns }));
}
