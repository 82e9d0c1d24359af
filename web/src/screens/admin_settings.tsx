// 관리 · 기한·공휴일: the statutory answer deadlines per category (working
// days) and the public holidays the working-day calendar skips.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { formatDate, strings, todayKst, fill } from '../i18n';
import { Dialog, ErrorSummary, FormButtons, Loading, Notice, SelectField, TextField, fieldError, useAsync, useDraft } from '../ui';
import { explain, useCategories } from './admin_common';
import { categoryLabel, loadHolidays, type Holiday } from '../directory';

const S = () =>
  strings({
    rules: { ko: '분야별 법정 처리 기한', en: 'Statutory deadlines per category' },
    rulesIntro: {
      ko: '민원 답변 기한은 근무일(주말·공휴일 제외)로 셉니다. 기한을 넘길 것 같으면 한 번 연장할 수 있고, 오래 걸리는 상담은 정해진 날마다 주민에게 진행 상황을 알려야 합니다.',
      en: 'Answer deadlines count working days (no weekends or holidays). A deadline can be extended once; long cases must tell the resident how they go at a fixed interval.',
    },
    rulesCaption: { ko: '상담 분야 16개의 기한', en: 'Deadlines of the 16 categories' },
    category: { ko: '상담 분야', en: 'Category' },
    answer: { ko: '답변 기한 (근무일)', en: 'Answer (working days)' },
    answerHint: { ko: '접수한 날부터 답변까지. 1~90 근무일.', en: 'From intake to the answer. 1–90 working days.' },
    extension: { ko: '연장 가능 (근무일)', en: 'Extension (working days)' },
    extensionHint: { ko: '한 번 연장할 수 있는 근무일 수. 0이면 연장할 수 없습니다.', en: 'Working days one extension adds. 0: no extension.' },
    notice: { ko: '진행 상황 안내 (일)', en: 'Progress notice (days)' },
    noticeHint: { ko: '이 날 수가 지나도록 끝나지 않으면 주민에게 진행 상황을 알립니다. 1~365일.', en: 'Tell the resident how the case goes after this many days. 1–365 days.' },
    actions: { ko: '작업', en: 'Actions' },
    edit: { ko: '변경', en: 'Change' },
    editTitle: { ko: '{name} 기한 변경', en: 'Deadlines of {name}' },
    save: { ko: '저장', en: 'Save' },
    cancel: { ko: '취소', en: 'Cancel' },
    ruleSaved: { ko: '{name}의 기한을 저장했습니다. 새로 접수하는 상담부터 적용됩니다.', en: 'The deadlines of {name} are saved. They apply to new cases.' },
    holidays: { ko: '공휴일', en: 'Public holidays' },
    holidaysIntro: {
      ko: '공휴일은 근무일에서 빠집니다. 대체공휴일이나 임시공휴일이 정해지면 여기에 더하세요.',
      en: 'Holidays are not working days. Add substitute or temporary holidays when they are announced.',
    },
    year: { ko: '연도', en: 'Year' },
    holidaysCaption: { ko: '{year}년 공휴일 {n}일', en: '{n} holidays in {year}' },
    date: { ko: '날짜', en: 'Date' },
    name: { ko: '이름', en: 'Name' },
    remove: { ko: '삭제', en: 'Remove' },
    none: { ko: '이 해에는 등록된 공휴일이 없습니다.', en: 'No holidays are recorded for this year.' },
    addHoliday: { ko: '공휴일 추가', en: 'Add a holiday' },
    addHint: { ko: '같은 날짜가 이미 있으면 이름을 바꿉니다.', en: 'An existing date gets the new name.' },
    nameHint: { ko: '예: 임시공휴일, 대체공휴일(어린이날)', en: 'E.g. temporary holiday' },
    add: { ko: '추가', en: 'Add' },
    holidayAdded: { ko: '{date} "{name}"을(를) 공휴일로 저장했습니다.', en: '{date} "{name}" is saved as a holiday.' },
    removeTitle: { ko: '공휴일 삭제', en: 'Remove the holiday' },
    removeConfirm: { ko: '{date} "{name}"을(를) 공휴일에서 뺄까요? 이 날은 근무일로 셉니다.', en: 'Remove {date} "{name}"? The day then counts as a working day.' },
    holidayRemoved: { ko: '{date}을(를) 공휴일에서 뺐습니다.', en: '{date} is no longer a holiday.' },
  });

interface Rule {
  category: string;
  answer_working_days: number;
  extension_working_days: number;
  progress_notice_days: number;
}

export function AdminSettings() {
  return (
    <>
      <ClockRules />
      <Holidays />
    </>
  );
}

function ClockRules() {
  const s = S();
  const rules = useAsync((signal) => api.get<{ items: Rule[] }>('/clock-rules', { signal }), []);
  const categories = useCategories();
  const [editing, setEditing] = useState<Rule | null>(null);
  const [notice, setNotice] = useState('');
  const name = (code: string) => categoryLabel({ categories: categories.data }, code);
  return (
    <section aria-labelledby="rules-h" class="card">
      <h2 id="rules-h">{s.rules}</h2>
      <p class="muted">{s.rulesIntro}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary error={rules.error} />
      {rules.loading && !rules.data && <Loading />}
      {rules.data && (
        <div class="table-wrap">
          <table class="admin-table admin-nums" id="clock-rules">
            <caption>{s.rulesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{s.category}</th>
                <th scope="col" class="num">
                  {s.answer}
                </th>
                <th scope="col" class="num">
                  {s.extension}
                </th>
                <th scope="col" class="num">
                  {s.notice}
                </th>
                <th scope="col">{s.actions}</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <tr data-category={r.category}>
                  <th scope="row">{name(r.category)}</th>
                  <td class="num">{r.answer_working_days}</td>
                  <td class="num">{r.extension_working_days}</td>
                  <td class="num">{r.progress_notice_days}</td>
                  <td class="actions-cell">
                    <button
                      type="button"
                      onClick={() => {
                        setNotice('');
                        setEditing(r);
                      }}
                    >
                      {s.edit}
                      <span class="visually-hidden"> ({name(r.category)})</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={editing !== null} title={editing ? fill(s.editTitle, { name: name(editing.category) }) : ''} onClose={() => setEditing(null)}>
        {editing && (
          <RuleForm
            key={editing.category}
            rule={editing}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setNotice(fill(s.ruleSaved, { name: name(editing.category) }));
              setEditing(null);
              rules.reload();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}

function RuleForm(props: { rule: Rule; onCancel: () => void; onSaved: () => void }) {
  const s = S();
  const r = props.rule;
  const [form, setForm, clear] = useDraft('admin.clock.' + r.category, {
    answer: String(r.answer_working_days),
    extension: String(r.extension_working_days),
    notice: String(r.progress_notice_days),
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const int = (v: string) => (v.trim() === '' || !Number.isFinite(Number(v)) ? (v as unknown as number) : Math.round(Number(v)));
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setBusy(true);
        try {
          await api.put('/clock-rules/' + encodeURIComponent(r.category), {
            answer_working_days: int(form.answer),
            extension_working_days: int(form.extension),
            progress_notice_days: int(form.notice),
          });
          clear();
          props.onSaved();
        } catch (err) {
          setError(explain(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <ErrorSummary error={error} />
      <TextField label={s.answer} name="answer_working_days" type="number" inputMode="numeric" min="1" max="90" required value={form.answer} onValue={(v) => setForm((f) => ({ ...f, answer: v }))} hint={s.answerHint} error={fieldError(error, 'answer_working_days')} />
      <TextField label={s.extension} name="extension_working_days" type="number" inputMode="numeric" min="0" max="90" required value={form.extension} onValue={(v) => setForm((f) => ({ ...f, extension: v }))} hint={s.extensionHint} error={fieldError(error, 'extension_working_days')} />
      <TextField label={s.notice} name="progress_notice_days" type="number" inputMode="numeric" min="1" max="365" required value={form.notice} onValue={(v) => setForm((f) => ({ ...f, notice: v }))} hint={s.noticeHint} error={fieldError(error, 'progress_notice_days')} />
      <FormButtons submit={s.save} busy={busy} cancel={s.cancel} onCancel={props.onCancel} />
    </form>
  );
}

function Holidays() {
  const s = S();
  const holidays = useAsync(() => loadHolidays(true), []);
  const thisYear = todayKst().slice(0, 4);
  const [year, setYear] = useState(thisYear);
  const [form, setForm, clear] = useDraft('admin.holiday', { date: '', name: '' });
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<Holiday | null>(null);
  const items = holidays.data ?? [];
  const years = Array.from(new Set([thisYear, ...items.map((h) => h.date.slice(0, 4))])).sort();
  const shown = items.filter((h) => h.date.startsWith(year + '-')).sort((a, b) => a.date.localeCompare(b.date));

  const remove = async (h: Holiday) => {
    setError(null);
    setNotice('');
    try {
      await api.del('/holidays/' + h.date);
      setNotice(fill(s.holidayRemoved, { date: formatDate(h.date) }));
      holidays.reload();
    } catch (err) {
      setError(explain(err));
    } finally {
      setRemoving(null);
    }
  };

  return (
    <section aria-labelledby="holidays-h" class="card">
      <h2 id="holidays-h">{s.holidays}</h2>
      <p class="muted">{s.holidaysIntro}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary error={holidays.error ?? error} />
      <div class="grid">
        <div>
          <div class="narrow">
            <SelectField label={s.year} name="year" value={year} onValue={setYear} options={years.map((y) => ({ value: y, label: y }))} />
          </div>
          {holidays.loading && !holidays.data && <Loading />}
          {holidays.data && shown.length === 0 && <p class="empty">{s.none}</p>}
          {shown.length > 0 && (
            <div class="table-wrap">
              <table class="admin-table" id="holidays-table">
                <caption>{fill(s.holidaysCaption, { year, n: shown.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.date}</th>
                    <th scope="col">{s.name}</th>
                    <th scope="col">{s.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((h) => (
                    <tr data-date={h.date}>
                      <th scope="row">
                        <time dateTime={h.date}>{formatDate(h.date)}</time>
                      </th>
                      <td>{h.name}</td>
                      <td class="actions-cell">
                        <button type="button" class="danger" onClick={() => setRemoving(h)}>
                          {s.remove}
                          <span class="visually-hidden"> ({formatDate(h.date)})</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <form
          aria-labelledby="add-holiday-h"
          onSubmit={async (e) => {
            e.preventDefault();
            setError(null);
            setNotice('');
            setBusy(true);
            try {
              const saved = await api.put<Holiday>('/holidays/' + encodeURIComponent(form.date || '-'), { name: form.name.trim() });
              clear();
              setNotice(fill(s.holidayAdded, { date: formatDate(saved.date), name: saved.name }));
              setYear(saved.date.slice(0, 4));
              holidays.reload();
            } catch (err) {
              setError(explain(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <h3 id="add-holiday-h">{s.addHoliday}</h3>
          <p class="hint">{s.addHint}</p>
          <TextField label={s.date} name="date" type="date" required value={form.date} onValue={(v) => setForm((f) => ({ ...f, date: v }))} error={fieldError(error, 'date')} />
          <TextField label={s.name} name="name" required maxLength={100} value={form.name} onValue={(v) => setForm((f) => ({ ...f, name: v }))} hint={s.nameHint} error={fieldError(error, 'name')} />
          <button type="submit" class="primary" disabled={busy}>
            {s.add}
          </button>
        </form>
      </div>
      <Dialog open={removing !== null} title={s.removeTitle} onClose={() => setRemoving(null)}>
        {removing && (
          <div>
            <p>{fill(s.removeConfirm, { date: formatDate(removing.date), name: removing.name })}</p>
            <div class="actions">
              <button type="button" class="danger" onClick={() => remove(removing)}>
                {s.remove}
              </button>
              <button type="button" onClick={() => setRemoving(null)}>
                {s.cancel}
              </button>
            </div>
          </div>
        )}
      </Dialog>
    </section>
  );
}
