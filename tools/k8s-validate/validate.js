#!/usr/bin/env node
// validate.js FILE... - check Kubernetes manifests against the API schema,
// offline and strictly. One line per document ("FILE: Kind/name: ok"), the
// errors indented under it. Exit 0 when all are valid, 1 when any is not,
// 2 when a file cannot be read.
//
// The schema checks (types, required fields, enums, int32/int64 formats)
// come from kubernetes-models: JSON-schema validators compiled by ajv from
// the Kubernetes OpenAPI spec, one class per kind. Those schemas do not set
// additionalProperties: false, so a typo'd optional field would pass. To
// reject unknown fields as `kubectl apply --validate=strict` does, the
// document is handed to the validator behind a Proxy that records which
// keys the validator looks up in each object: a compiled validator looks
// up every property its schema declares, so a key it never asked for is
// not in the schema. Objects it never looked inside (free-form fields, or
// a value that already failed its type check) are not judged.
'use strict';

const fs = require('fs');
const YAML = require('yaml');

// The model class for apiVersion/kind, e.g. kubernetes-models/apps/v1/Deployment.
function modelFor(apiVersion, kind) {
    if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) ||
        !/^[A-Z][A-Za-z0-9]*$/.test(kind))
        return null;
    try {
        return require(`kubernetes-models/${apiVersion}/${kind}`)[kind] || null;
    } catch (e) {
        if (e.code === 'MODULE_NOT_FOUND' ||
            e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')
            return null;
        throw e;
    }
}

// Wrap value so that every key looked up in it, or in anything reached
// through it, lands in reads.get(thatObject). Proxies are cached so an
// object reached twice (a YAML alias) shares one set.
function tracked(value, reads, proxies) {
    if (value === null || typeof value !== 'object')
        return value;
    let proxy = proxies.get(value);
    if (proxy === undefined) {
        const seen = new Set();
        reads.set(value, seen);
        proxy = new Proxy(value, {
            get(target, key, receiver) {
                if (typeof key === 'string')
                    seen.add(key);
                return tracked(Reflect.get(target, key, receiver), reads,
                               proxies);
            },
        });
        proxies.set(value, proxy);
    }
    return proxy;
}

// "spec.template.spec.containers[0].image" from ["spec", ..., "0", "image"].
function dotted(segments) {
    return segments.map((s, i) => (/^[0-9]+$/.test(s) ? `[${s}]`
                                   : i === 0 ? s : `.${s}`)).join('') ||
           '(top level)';
}

// Keys the validator never looked up, in objects it did look inside.
function unknownFields(value, segments, reads, out) {
    const seen = reads.get(value);
    if (seen === undefined || seen.size === 0)
        return;
    for (const key of Object.keys(value)) {
        const path = segments.concat(key);
        if (Array.isArray(value) || seen.has(key))
            unknownFields(value[key], path, reads, out);
        else
            out.push(`${dotted(path)}: unknown field "${key}"`);
    }
}

// ajv errors (messages already in English via kubernetes-models) as lines.
function schemaErrors(err, doc) {
    if (!Array.isArray(err.errors))
        throw err;
    return err.errors.map((e) => {
        const segments = e.instancePath.split('/').slice(1)
            .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        let value = doc;
        for (const s of segments)
            value = value == null ? undefined : value[s];
        const shown = e.keyword === 'required' ? ''
            : Array.isArray(value) ? ' (got a list)'
            : value !== null && typeof value === 'object' ? ' (got a mapping)'
            : ` (got ${JSON.stringify(value)})`;
        return `${dotted(segments)}: ${e.message}${shown}`;
    });
}

// Every problem with one parsed document, as lines; [] when it is valid.
function checkDocument(doc) {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
        return ['a document must be a mapping (an API object)'];
    const { apiVersion, kind } = doc;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string')
        return ['apiVersion and kind are required strings'];
    const Model = modelFor(apiVersion, kind);
    if (Model === null)
        return [`unknown kind ${kind} in apiVersion ${apiVersion}`];

    const errors = [];
    const reads = new Map();
    try {
        // The public validate() of the kind's class, run on the proxy.
        Model.prototype.validate.call(tracked(doc, reads, new Map()));
    } catch (err) {
        errors.push(...schemaErrors(err, doc));
    }
    unknownFields(doc, [], reads, errors);
    // The API server needs a name; the OpenAPI schema cannot say so.
    const meta = doc.metadata;
    if (!meta || (!meta.name && !meta.generateName))
        errors.push('metadata.name: required');
    return errors;
}

function checkFile(file) {
    let text;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (e) {
        console.error(`${file}: cannot read: ${e.message}`);
        return 2;
    }
    // YAML 1.1 as Kubernetes parses it (sigs.k8s.io/yaml): "yes" is a
    // boolean there. Duplicate keys are errors.
    const docs = YAML.parseAllDocuments(text, { version: '1.1' });
    let status = 0;
    let count = 0;
    docs.forEach((d, i) => {
        let errors;
        let obj = null;
        if (d.errors.length > 0) {
            errors = d.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`);
        } else {
            obj = d.toJS();
            if (obj === null)
                return;             // an empty document, e.g. after "---"
            errors = checkDocument(obj);
        }
        count++;
        const meta = (obj && obj.metadata) || {};
        const id = meta.name || meta.generateName;
        const name = obj && obj.kind && id ? `${obj.kind}/${id}`
                                           : `document ${i + 1}`;
        if (errors.length === 0) {
            console.log(`${file}: ${name}: ok`);
            return;
        }
        status = 1;
        console.log(`${file}: ${name}: ${errors.length} error(s)`);
        for (const e of errors)
            console.log(`    ${e}`);
    });
    if (count === 0) {
        console.log(`${file}: no Kubernetes objects in it`);
        status = 1;
    }
    return status;
}

function main(files) {
    if (files.length === 0) {
        console.error('usage: validate.js FILE...');
        return 2;
    }
    return files.map(checkFile).reduce((a, b) => Math.max(a, b), 0);
}

process.exitCode = main(process.argv.slice(2));
