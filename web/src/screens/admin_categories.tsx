// 관리 · 상담 분야: the fixed 16 categories (they cannot be removed) and the
// district's own sub-categories under them.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { locale, strings, fill } from '../i18n';
import { ErrorSummary, Loading, Notice, SelectField, TextField, fieldError, useDraft } from '../ui';
import { explain, useCategories } from './admin_common';

const S = () =>
  strings({
    heading: { ko: '상담 분야', en: 'Categories' },
    intro: {
      ko: '상담 분야 16개는 고정되어 있어 지울 수 없습니다. 구에 필요한 세부 분야는 하위 분야로 더할 수 있고, 법정 기한은 상위 분야를 따릅니다.',
      en: 'The 16 categories are fixed and cannot be removed. Add sub-categories the district needs; their deadlines follow the parent category.',
    },
    caption: { ko: '상담 분야 {n}개와 하위 분야', en: '{n} categories and their sub-categories' },
    ko: { ko: '한국어 이름', en: 'Korean name' },
    en: { ko: '영어 이름', en: 'English name' },
    code: { ko: '코드', en: 'Code' },
    subs: { ko: '하위 분야', en: 'Sub-categories' },
    none: { ko: '없음', en: 'None' },
    add: { ko: '하위 분야 추가', en: 'Add a sub-category' },
    parent: { ko: '상위 분야', en: 'Parent category' },
    choose: { ko: '상위 분야를 고르세요', en: 'Choose the parent' },
    slug: { ko: '코드', en: 'Code' },
    slugHint: { ko: '영문 소문자·숫자·밑줄(_)로 40자까지. 예: emergency_support → welfare.emergency_support', en: 'Lower-case letters, digits and "_", up to 40. E.g. emergency_support → welfare.emergency_support' },
    labelKo: { ko: '한국어 이름', en: 'Korean name' },
    labelKoHint: { ko: '상담 화면에 보이는 이름입니다. 예: 긴급지원', en: 'The name shown on the case screens. E.g. 긴급지원' },
    labelEn: { ko: '영어 이름 (선택)', en: 'English name (optional)' },
    submit: { ko: '추가', en: 'Add' },
    added: { ko: '하위 분야 "{label}" ({code})을(를) 추가했습니다.', en: 'Sub-category "{label}" ({code}) is added.' },
  });

export function AdminCategories() {
  const s = S();
  const categories = useCategories();
  const [form, setForm, clear] = useDraft('admin.subcategory', { parent: '', slug: '', label_ko: '', label_en: '' });
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const items = categories.data ?? [];
  const name = (ko: string, en: string) => (locale.value === 'en' ? en || ko : ko);
  return (
    <>
      <section aria-labelledby="cats-h" class="card">
        <h2 id="cats-h">{s.heading}</h2>
        <p class="muted">{s.intro}</p>
        <ErrorSummary error={categories.error} />
        {categories.loading && !categories.data && <Loading />}
        {categories.data && (
          <div class="table-wrap">
            <table class="admin-table" id="categories-table">
              <caption>{fill(s.caption, { n: items.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.ko}</th>
                  <th scope="col">{s.en}</th>
                  <th scope="col">{s.code}</th>
                  <th scope="col">{s.subs}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr>
                    <th scope="row">{c.label_ko}</th>
                    <td lang="en">{c.label_en}</td>
                    <td>
                      <code>{c.code}</code>
                    </td>
                    <td>
                      {c.subcategories.length === 0 ? (
                        <span class="muted">{s.none}</span>
                      ) : (
                        <ul class="admin-plain-list">
                          {c.subcategories.map((sub) => (
                            <li>
                              {name(sub.label_ko, sub.label_en)} <code class="small">{sub.code}</code>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="sub-h" class="card">
        <h2 id="sub-h">{s.add}</h2>
        {notice && <Notice>{notice}</Notice>}
        <ErrorSummary error={error} />
        <form
          class="narrow"
          onSubmit={async (e) => {
            e.preventDefault();
            setError(null);
            setNotice('');
            setBusy(true);
            try {
              const created = await api.post<{ code: string; label_ko: string }>('/categories/' + encodeURIComponent(form.parent || '_') + '/subcategories', {
                slug: form.slug.trim(),
                label_ko: form.label_ko.trim(),
                label_en: form.label_en.trim(),
              });
              clear();
              setNotice(fill(s.added, { label: created.label_ko, code: created.code }));
              categories.reload();
            } catch (err) {
              setError(explain(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <SelectField
            label={s.parent}
            name="parent"
            value={form.parent}
            onValue={(v) => setForm((f) => ({ ...f, parent: v }))}
            required
            placeholder={s.choose}
            options={items.map((c) => ({ value: c.code, label: name(c.label_ko, c.label_en) }))}
            error={fieldError(error, 'parent')}
          />
          <TextField label={s.slug} name="slug" value={form.slug} onValue={(v) => setForm((f) => ({ ...f, slug: v }))} required hint={s.slugHint} maxLength={40} autoComplete="off" error={fieldError(error, 'slug', 'code')} />
          <TextField label={s.labelKo} name="label_ko" value={form.label_ko} onValue={(v) => setForm((f) => ({ ...f, label_ko: v }))} required hint={s.labelKoHint} maxLength={100} error={fieldError(error, 'label_ko')} />
          <TextField label={s.labelEn} name="label_en" value={form.label_en} onValue={(v) => setForm((f) => ({ ...f, label_en: v }))} maxLength={100} error={fieldError(error, 'label_en')} />
          <button type="submit" class="primary" disabled={busy}>
            {s.submit}
          </button>
        </form>
      </section>
    </>
  );
}
