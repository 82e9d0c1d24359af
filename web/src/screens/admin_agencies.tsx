// 관리 · 연계 기관: the directory of departments and outside organisations a
// case can be referred to, with the categories each handles and how soon it
// is expected to answer a referral.
import { useState } from 'preact/hooks';
import { api, request } from '../api';
import { locale, strings, fill } from '../i18n';
import { Checkbox, Dialog, ErrorSummary, FormButtons, Loading, Notice, RadioGroup, TextField, fieldError, useDraft } from '../ui';
import { explain, responseTime, useAgencies, useCategories } from './admin_common';
import { categoryLabel, type Agency, type Category } from '../directory';

const S = () =>
  strings({
    heading: { ko: '연계 기관 목록', en: 'Agency directory' },
    intro: {
      ko: '상담을 연계할 구청 부서와 외부 기관입니다. 상담 화면의 기관 고르기는 담당 분야로 걸러집니다.',
      en: 'The district departments and outside organisations cases are referred to. The agency picker on a case filters by these categories.',
    },
    add: { ko: '기관 추가', en: 'Add an agency' },
    caption: { ko: '연계 기관 {n}곳', en: '{n} agencies' },
    name: { ko: '기관명', en: 'Name' },
    kind: { ko: '구분', en: 'Kind' },
    internal: { ko: '구청 내부 부서', en: 'District department' },
    external: { ko: '외부 기관', en: 'Outside organisation' },
    categories: { ko: '담당 분야', en: 'Categories handled' },
    categoriesHint: { ko: '하나 이상 고르세요.', en: 'Choose at least one.' },
    contact: { ko: '연락처', en: 'Contact' },
    contactHint: { ko: '전화번호, 내선 또는 담당 창구 (200자까지)', en: 'Phone, extension or desk (up to 200 characters)' },
    response: { ko: '응답 기한', en: 'Expected response' },
    responseHours: { ko: '응답 기한 (시간)', en: 'Expected response (hours)' },
    responseHint: { ko: '연계 요청을 받고 수락·거절할 때까지의 시간입니다. 24시간 = 1일, 최대 2160시간(90일).', en: 'Time to accept or decline a referral. 24 hours = 1 day, at most 2160 (90 days).' },
    actions: { ko: '작업', en: 'Actions' },
    edit: { ko: '변경', en: 'Change' },
    editTitle: { ko: '{name} 정보 변경', en: 'Change {name}' },
    save: { ko: '저장', en: 'Save' },
    cancel: { ko: '취소', en: 'Cancel' },
    added: { ko: '{name}을(를) 추가했습니다.', en: '{name} is added.' },
    saved: { ko: '{name} 정보를 저장했습니다.', en: '{name} is saved.' },
  });

export function AdminAgencies() {
  const s = S();
  const agencies = useAgencies();
  const categories = useCategories();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Agency | null>(null);
  const [notice, setNotice] = useState('');
  const cats = categories.data;
  return (
    <section aria-labelledby="agencies-h" class="card">
      <div class="admin-card-head">
        <h2 id="agencies-h">{s.heading}</h2>
        <button
          type="button"
          class="primary"
          onClick={() => {
            setNotice('');
            setAdding(true);
          }}
        >
          {s.add}
        </button>
      </div>
      <p class="muted">{s.intro}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary error={agencies.error ?? categories.error} />
      {agencies.loading && !agencies.data && <Loading />}
      {agencies.data && (
        <div class="table-wrap">
          <table class="admin-table">
            <caption>{fill(s.caption, { n: agencies.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{s.name}</th>
                <th scope="col">{s.kind}</th>
                <th scope="col">{s.categories}</th>
                <th scope="col">{s.contact}</th>
                <th scope="col">{s.response}</th>
                <th scope="col">{s.actions}</th>
              </tr>
            </thead>
            <tbody>
              {agencies.data.map((a) => (
                <tr>
                  <th scope="row">{a.name}</th>
                  <td>{a.kind === 'internal' ? s.internal : s.external}</td>
                  <td>{a.categories.map((c) => categoryLabel({ categories: cats }, c)).join(', ')}</td>
                  <td>{a.contact}</td>
                  <td>{responseTime(a.response_hours)}</td>
                  <td class="actions-cell">
                    <button type="button" onClick={() => setEditing(a)}>
                      {s.edit}
                      <span class="visually-hidden"> ({a.name})</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={adding} title={s.add} onClose={() => setAdding(false)}>
        {adding && (
          <AgencyForm
            categories={cats ?? []}
            onCancel={() => setAdding(false)}
            onSaved={(a) => {
              setAdding(false);
              setNotice(fill(s.added, { name: a.name }));
              agencies.reload();
            }}
          />
        )}
      </Dialog>
      <Dialog open={editing !== null} title={editing ? fill(s.editTitle, { name: editing.name }) : ''} onClose={() => setEditing(null)}>
        {editing && (
          <AgencyForm
            key={editing.id}
            agency={editing}
            categories={cats ?? []}
            onCancel={() => setEditing(null)}
            onSaved={(a) => {
              setEditing(null);
              setNotice(fill(s.saved, { name: a.name }));
              agencies.reload();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}

function AgencyForm(props: { agency?: Agency; categories: Category[]; onCancel: () => void; onSaved: (a: Agency) => void }) {
  const s = S();
  const a = props.agency;
  const [form, setForm, clear] = useDraft('admin.agency.' + (a?.id ?? 'new'), {
    name: a?.name ?? '',
    kind: a?.kind ?? 'external',
    categories: a?.categories ?? ([] as string[]),
    contact: a?.contact ?? '',
    response_hours: String(a?.response_hours ?? 72),
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const hours = Number(form.response_hours);
  const categoriesError = fieldError(error, 'categories') ?? fieldError(error, ...form.categories.map((_, i) => `categories[${i}]`));
  const toggle = (code: string, on: boolean) =>
    setForm((f) => ({ ...f, categories: on ? [...f.categories.filter((c) => c !== code), code] : f.categories.filter((c) => c !== code) }));
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setBusy(true);
        const body = {
          name: form.name.trim(),
          kind: form.kind,
          categories: form.categories,
          contact: form.contact.trim(),
          response_hours: Number.isFinite(hours) ? Math.round(hours) : 0,
        };
        try {
          const saved = a
            ? (await request<Agency>('PATCH', '/agencies/' + a.id, body, { ifMatch: `"${a.version}"` })).data
            : await api.post<Agency>('/agencies', body);
          clear();
          props.onSaved(saved ?? { ...(a as Agency), ...body });
        } catch (err) {
          setError(explain(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <ErrorSummary error={error} />
      <TextField label={s.name} name="name" value={form.name} onValue={(v) => setForm((f) => ({ ...f, name: v }))} required maxLength={100} error={fieldError(error, 'name')} />
      <RadioGroup
        legend={s.kind}
        name="kind"
        value={form.kind}
        onValue={(v) => setForm((f) => ({ ...f, kind: v }))}
        options={[
          { value: 'internal', label: s.internal },
          { value: 'external', label: s.external },
        ]}
        error={fieldError(error, 'kind')}
      />
      <fieldset class={categoriesError ? 'field-invalid' : ''} aria-describedby="agency-cats-hint">
        <legend>
          {s.categories}{' '}
          <span class="req" aria-hidden="true">
            *
          </span>
        </legend>
        <p class="hint" id="agency-cats-hint">
          {s.categoriesHint}
        </p>
        <div class="admin-checks">
          {props.categories.map((c) => (
            <Checkbox label={locale.value === 'en' ? c.label_en : c.label_ko} name="categories" checked={form.categories.includes(c.code)} onChecked={(on) => toggle(c.code, on)} />
          ))}
        </div>
        {categoriesError && <p class="error-text">{categoriesError}</p>}
      </fieldset>
      <TextField label={s.contact} name="contact" value={form.contact} onValue={(v) => setForm((f) => ({ ...f, contact: v }))} hint={s.contactHint} maxLength={200} error={fieldError(error, 'contact')} />
      <TextField
        label={s.responseHours}
        name="response_hours"
        type="number"
        inputMode="numeric"
        min="1"
        max="2160"
        value={form.response_hours}
        onValue={(v) => setForm((f) => ({ ...f, response_hours: v }))}
        required
        hint={s.responseHint + (hours >= 1 ? ' → ' + responseTime(Math.round(hours)) : '')}
        error={fieldError(error, 'response_hours')}
      />
      <FormButtons submit={s.save} busy={busy} cancel={s.cancel} onCancel={props.onCancel} />
    </form>
  );
}
