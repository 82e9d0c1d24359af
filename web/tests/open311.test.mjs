// Open311 GeoReport v2 as existing clients see it: every endpoint in XML and JSON against a
// real server (the demo district, its Open311 app with the key demo-open311-key). Every JSON
// answer is validated with ajv against the published GeoReport v2 schemas (tests/open311/),
// every XML answer is parsed and checked for the spec's element structure
// (<services><service>…, <service_definition>…, <service_requests><request>…,
// <errors><error>…) and for the same values as the JSON; the error cases answer the spec's
// error list with the right status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { startServer } from './support/server.mjs';
import { launch, newPage, signIn, inspect, assertNoProblems } from './support/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const schemaDir = path.join(here, 'open311', 'georeport-v2');
const schema = (name) => ({ ...JSON.parse(readFileSync(path.join(schemaDir, name), 'utf8')), $id: name });

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const name of ['service.json', 'request.json', 'service-definition.json']) ajv.addSchema(schema(name));
const validate = {
  services: ajv.compile(schema('services.json')),
  definition: ajv.getSchema('service-definition.json'),
  requests: ajv.compile(schema('requests.json')),
};
// Every XML element is kept as text, lists as arrays, so the structure can be compared.
const xml = new XMLParser({ parseTagValue: false, isArray: (name, jpath) => ['service', 'request', 'error', 'attribute', 'value'].includes(name) && jpath.split('.').length > 1 });

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function get(p) {
  const r = await fetch(server.url + '/open311/v2/' + p);
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}
async function post(format, fields) {
  const body = new URLSearchParams(fields).toString();
  const r = await fetch(`${server.url}/open311/v2/requests.${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}
function assertValid(check, data, what) {
  assert.ok(check(data), `${what}: ${JSON.stringify(check.errors)}`);
}
function parseXml(r, root) {
  assert.match(r.type, /^text\/xml/);
  assert.ok(r.text.startsWith('<?xml version="1.0" encoding="utf-8"?>'), r.text.slice(0, 80));
  const doc = xml.parse(r.text);
  assert.ok(doc[root] !== undefined, `<${root}> is the root: ${r.text.slice(0, 200)}`);
  return doc[root];
}
// The XML text of a JSON value: null and '' are empty elements, numbers and booleans as text.
const asText = (v) => (v === null || v === undefined ? '' : String(v));

const requestFields = Object.keys(JSON.parse(readFileSync(path.join(schemaDir, 'request.json'), 'utf8')).properties);

test('services and service definitions, in JSON (schema-valid) and XML (same structure and values)', async () => {
  const json = await get('services.json');
  assert.equal(json.status, 200);
  const services = JSON.parse(json.text);
  assertValid(validate.services, services, 'services.json');
  const x = parseXml(await get('services.xml'), 'services');
  assert.equal(x.service.length, services.length);
  services.forEach((s, i) => {
    for (const [k, v] of Object.entries(s)) assert.equal(x.service[i][k], asText(v), `services.xml ${s.service_code}.${k}`);
  });
  for (const s of services) {
    const def = await get(`services/${s.service_code}.json`);
    assert.equal(def.status, 200);
    const d = JSON.parse(def.text);
    assertValid(validate.definition, d, `services/${s.service_code}.json`);
    assert.equal(d.attributes.length > 0, s.metadata);
    const dx = parseXml(await get(`services/${s.service_code}.xml`), 'service_definition');
    assert.equal(dx.service_code, s.service_code);
    const attrs = dx.attributes === '' ? [] : dx.attributes.attribute;
    assert.equal(attrs.length, d.attributes.length);
    d.attributes.forEach((a, i) => {
      for (const k of ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description']) {
        assert.equal(attrs[i][k], asText(a[k]), `${s.service_code} attribute ${a.code}.${k}`);
      }
      if (a.values) assert.deepEqual(attrs[i].values.value.map((v) => v.key), a.values.map((v) => v.key));
    });
  }
});

test('a request posted in either format reads back through requests, requests/{id} and tokens', async () => {
  const services = JSON.parse((await get('services.json')).text).map((s) => s.service_code);
  assert.ok(services.includes('streetlight') && services.includes('illegal_dumping'));
  // JSON: by coordinates in 서교동.
  const a = await post('json', {
    api_key: 'demo-open311-key',
    service_code: 'illegal_dumping',
    lat: '37.5541',
    long: '126.9182',
    'attribute[waste_type]': 'furniture',
    description: '골목에 소파가 버려져 있어요',
    email: 'citizen@example.org',
    media_url: 'https://photos.example/sofa.jpg',
  });
  assert.equal(a.status, 200, a.text);
  const created = JSON.parse(a.text);
  assert.equal(created.length, 1);
  assert.match(created[0].service_request_id, /^\d+$/);
  assert.ok(created[0].service_notice.length > 0);
  // XML: by address, a multivaluelist attribute.
  const b = await post('xml', {
    api_key: 'demo-open311-key',
    service_code: 'neighbour_at_risk',
    address_string: '서울 마포구 망원1동 ○○빌라 앞',
    'attribute[seen][]': 'mail_piling',
  });
  assert.equal(b.status, 200, b.text);
  const bx = parseXml(b, 'service_requests');
  assert.equal(bx.request.length, 1);
  assert.deepEqual(Object.keys(bx.request[0]).sort(), ['account_id', 'service_notice', 'service_request_id', 'token']);
  const token = bx.request[0].token;

  for (const [format, id] of [['json', created[0].service_request_id], ['xml', bx.request[0].service_request_id]]) {
    // requests/{id} in JSON is schema-valid; its XML twin holds every field of request.json.
    const one = await get(`requests/${id}.json`);
    assert.equal(one.status, 200);
    const list = JSON.parse(one.text);
    assertValid(validate.requests, list, `requests/${id}.json`);
    assert.equal(list[0].status, 'open');
    assert.equal(list[0].description, null, 'descriptions are not published');
    const ox = parseXml(await get(`requests/${id}.xml`), 'service_requests');
    assert.deepEqual(Object.keys(ox.request[0]).sort(), [...requestFields].sort(), `requests/${id}.xml fields (${format})`);
    for (const k of requestFields) assert.equal(ox.request[0][k], asText(list[0][k]), `requests/${id}.xml ${k}`);
  }
  const t = await get(`tokens/${token}.json`);
  assert.equal(t.status, 200);
  assert.deepEqual(JSON.parse(t.text), [{ service_request_id: bx.request[0].service_request_id, token }]);
  const tx = parseXml(await get(`tokens/${token}.xml`), 'service_requests');
  assert.equal(tx.request[0].service_request_id, bx.request[0].service_request_id);

  // The list with the spec's filters, schema-valid, in both formats.
  const all = JSON.parse((await get('requests.json')).text);
  assertValid(validate.requests, all, 'requests.json');
  assert.ok(all.length >= 2);
  const ax = parseXml(await get('requests.xml'), 'service_requests');
  assert.equal(ax.request.length, all.length);
  const dumping = JSON.parse((await get('requests.json?service_code=illegal_dumping&status=open')).text);
  assertValid(validate.requests, dumping, 'filtered');
  assert.ok(dumping.every((r) => r.service_code === 'illegal_dumping' && r.status === 'open'));
  const byId = JSON.parse((await get(`requests.json?service_request_id=${created[0].service_request_id}`)).text);
  assert.equal(byId.length, 1);
  const paged = JSON.parse((await get('requests.json?page_size=1&page=2')).text);
  assert.equal(paged.length, 1);
  assert.notEqual(paged[0].service_request_id, all[0].service_request_id);
  const old = JSON.parse((await get('requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).text);
  assert.deepEqual(old, []);
  // An empty list is <service_requests/> in XML.
  const emptyX = parseXml(await get('requests.xml?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z'), 'service_requests');
  assert.equal(emptyX, '');
});

test('errors: the spec list with the right status, in both formats', async () => {
  const cases = [
    ['bad api_key', () => post('json', { api_key: 'nope', service_code: 'streetlight', lat: '37.5541', long: '126.9182', 'attribute[problem]': 'off' }), 403],
    ['no api_key', () => post('xml', { service_code: 'streetlight', lat: '37.5541', long: '126.9182' }), 403],
    ['unknown service', () => post('json', { api_key: 'demo-open311-key', service_code: 'ufo', lat: '37.5541', long: '126.9182' }), 404],
    ['missing location', () => post('xml', { api_key: 'demo-open311-key', service_code: 'road_damage' }), 400],
    ['outside the district', () => post('json', { api_key: 'demo-open311-key', service_code: 'road_damage', lat: '35.1796', long: '129.0756' }), 400],
    ['unknown service definition', () => get('services/ufo.xml'), 404],
    ['unknown request', () => get('requests/99999999.json'), 404],
    ['bad status filter', () => get('requests.xml?status=pending'), 400],
    ['unknown token', () => get('tokens/nothing.json'), 404],
  ];
  for (const [what, call, status] of cases) {
    const r = await call();
    assert.equal(r.status, status, `${what}: ${r.text}`);
    if (r.type.startsWith('application/json')) {
      const e = JSON.parse(r.text);
      assert.ok(Array.isArray(e) && e.length === 1, what);
      assert.equal(e[0].code, status, what);
      assert.ok(e[0].description.length > 0, what);
    } else {
      const e = parseXml(r, 'errors');
      assert.equal(e.error[0].code, String(status), what);
      assert.ok(e.error[0].description.length > 0, what);
    }
  }
});

test('every path of the published Swagger description is served', async () => {
  const swagger = JSON.parse(readFileSync(path.join(schemaDir, 'swagger.json'), 'utf8'));
  const ids = JSON.parse((await get('requests.json')).text);
  const sample = { response_format: 'json', service_code: 'streetlight', service_request_id: ids[0]?.service_request_id ?? '1', token_id: 'x' };
  for (const p of Object.keys(swagger.paths)) {
    const url = p.slice(1).replace(/\{(\w+)\}/g, (_, k) => sample[k]);
    const r = await get(url);
    assert.notEqual(r.status, 405, p);
    // tokens/x does not exist: 404 in the spec's error format, not a missing route.
    if (r.status === 404) assert.ok(Array.isArray(JSON.parse(r.text)), `${p}: ${r.text}`);
    else assert.equal(r.status, 200, `${p}: ${r.text}`);
  }
});

test('an admin registers an app, its key works once shown, and stopping it refuses the key', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'admin');
  await page.goto('/admin/open311');
  await page.getByRole('heading', { name: '관리 · Open311 앱' }).waitFor();
  await page.getByRole('cell', { name: '데모 Open311 앱', exact: true }).waitFor();
  await page.getByLabel('앱 이름').fill('마포 생활불편 앱');
  await page.getByRole('button', { name: '앱 등록' }).click();
  const key = (await page.getByTestId('open311-key').innerText()).trim();
  assert.match(key, /^[0-9a-f]{48}$/);
  await inspect(page, '45-admin-open311');
  const fields = { api_key: key, service_code: 'road_damage', address_string: '서교동 395 앞 보도블록' };
  assert.equal((await post('json', fields)).status, 200);
  await page.reload();
  const row = page.getByRole('row').filter({ hasText: '마포 생활불편 앱' });
  await row.getByRole('button', { name: '멈추기: 마포 생활불편 앱' }).click();
  await page.getByText('마포 생활불편 앱의 키를 더 이상 받지 않습니다.').waitFor();
  await row.getByText('멈춤').waitFor();
  assert.equal((await post('json', fields)).status, 403);
  assertNoProblems(page);
});
