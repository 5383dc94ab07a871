// Rewrites a Parquet file as DuckDB writes it: node rewrite.mjs IN OUT [SELECT-LIST] (default *), e.g. "* exclude (seed)".
import { DuckDBInstance } from '@duckdb/node-api';
const [input, output, select = '*'] = process.argv.slice(2);
const q = s => s.replaceAll("'", "''");
const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run(`copy (select ${select} from read_parquet('${q(input)}')) to '${q(output)}' (format parquet)`);
