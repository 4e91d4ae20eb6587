/*
 * json_schema.h - the version of every JSON document sctpu's tools print
 * (-J of sctpu-perf and sctpu-echo, --compare -J, --check -J, --version -J).
 *
 * An integer, bumped only by a change a reader could trip over: a key
 * removed or renamed, a type, unit or meaning changed. New keys do not
 * bump it (readers ignore keys they do not know). docs/perf-json.md says
 * the same; docs/perf-json.schema.json pins it with "const".
 */
#ifndef SCTPU_JSON_SCHEMA_H
#define SCTPU_JSON_SCHEMA_H

#define SCTPU_JSON_SCHEMA_VERSION 1

#endif /* SCTPU_JSON_SCHEMA_H */
