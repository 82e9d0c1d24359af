// The resident portal (/ask): ask anything, tell us about a neighbour who
// seems in trouble, and look up how it is going. No account; Korean first,
// large type, plain words, and an "easy" mode with bigger buttons and fewer
// questions. The server decides everything that matters (core/portal.hpp).
import { useEffect, useRef, useState } from 'preact/hooks';
import { signal } from '@preact/signals';
import { LocationProvider, Router, Route, useLocation } from 'preact-iso';
import { api, ApiError } from '../api';
import { locale, strings, fill, formatDate, type Locale } from '../i18n';
import { TextField, TextArea, SelectField, RadioGroup, Checkbox, ErrorSummary, fieldError, Loading } from '../ui';

interface Choice {
  code: string;
  label_ko: string;
  label_en?: string;
}
interface Choices {
  district_name: string;
  dongs: { id: number; name: string }[];
  categories: Choice[];
  contact_ways: Choice[];
  contact_times: Choice[];
}
interface Receipt {
  accepted: boolean;
  receipt?: string;
  received_on?: string;
  next_step_on?: string | null;
  dong_name?: string;
  lookup_possible?: boolean;
}
interface PublicView {
  receipt: string;
  received_on: string;
  status: { code: string; label_ko: string; label_en: string; explanation_ko: string };
  category: { code: string; label_ko: string; label_en: string };
  dong_name: string;
  third_party: boolean;
  next_step_on: string | null;
  resolved_on: string | null;
  answers: { at: string; text: string }[];
}

const S = () =>
  strings({
    portal: { ko: '온라인 주민 창구', en: 'Online resident desk' },
    tagline: {
      ko: '걱정되는 일이 있으면 무엇이든 적어 주세요. 주민센터 담당자가 연락드립니다.',
      en: 'Tell us about anything that worries you. Someone from your community center will contact you.',
    },
    easy: { ko: '쉬운 화면', en: 'Easy mode' },
    easyOff: { ko: '보통 화면', en: 'Standard mode' },
    language: { ko: 'English', en: '한국어' },
    home: { ko: '처음으로', en: 'Start' },
    askTitle: { ko: '무엇이든 물어보세요', en: 'Ask anything' },
    askHint: { ko: '복지, 집, 빚, 일자리, 층간 소음… 어떤 일이든 괜찮습니다.', en: 'Welfare, housing, debt, jobs, noise… anything.' },
    reportTitle: { ko: '도움이 필요한 이웃 알리기', en: 'Tell us about a neighbour' },
    reportHint: { ko: '며칠째 안 보이거나 힘들어 보이는 이웃이 있나요?', en: 'Someone not seen for days, or who seems to struggle?' },
    lookupTitle: { ko: '처리 상황 확인', en: 'Check progress' },
    lookupHint: { ko: '접수번호와 전화번호 뒷자리로 확인합니다.', en: 'With your receipt number and the last digits of your phone.' },
    phoneToo: {
      ko: '전화나 방문도 됩니다. 가까운 주민센터에 말씀해 주세요. 급한 위험이 있으면 112 또는 119로 바로 전화하세요.',
      en: 'You can also call or visit your community center. In an emergency call 112 or 119 now.',
    },
    dong: { ko: '사는 동', en: 'Your neighbourhood (dong)' },
    dongReport: { ko: '이웃이 사는 동', en: "The neighbour's dong" },
    chooseDong: { ko: '동을 골라 주세요', en: 'Choose a dong' },
    text: { ko: '어떤 일인가요?', en: 'What is it about?' },
    textHint: { ko: '편하게 적어 주세요. 2,000자까지 쓸 수 있습니다.', en: 'In your own words, up to 2,000 characters.' },
    seen: { ko: '무엇을 보셨나요?', en: 'What did you notice?' },
    place: { ko: '어디에서 보셨나요?', en: 'Where?' },
    placeHint: { ko: '주소나 건물 이름, 근처 가게 등', en: 'An address, building or landmark' },
    category: { ko: '분야 (몰라도 됩니다)', en: 'Topic (optional)' },
    dontKnow: { ko: '잘 모르겠어요', en: "I don't know" },
    name: { ko: '성함', en: 'Your name' },
    phone: { ko: '전화번호', en: 'Phone number' },
    phoneHint: { ko: '예: 010-1234-5678. 이 번호로 연락드립니다.', en: 'e.g. 010-1234-5678. We will call you on it.' },
    way: { ko: '어떻게 연락드릴까요?', en: 'How should we contact you?' },
    when: { ko: '언제 연락드리면 좋을까요?', en: 'When is a good time?' },
    texts: { ko: '접수번호와 진행 상황을 문자로 받기', en: 'Get the receipt number and updates by text message' },
    reporterName: { ko: '신고하시는 분 성함 (안 적어도 됩니다)', en: 'Your name (optional)' },
    reporterPhone: { ko: '신고하시는 분 전화번호 (안 적어도 됩니다)', en: 'Your phone (optional)' },
    reporterPhoneHint: {
      ko: '적어 주시면 확인 결과를 물어보실 수 있습니다. 이웃에게는 알리지 않습니다.',
      en: 'With it you can look up what happened. The neighbour is not told who you are.',
    },
    relation: { ko: '이웃과의 관계 (안 적어도 됩니다)', en: 'Your relation (optional)' },
    website: { ko: '이 칸은 비워 두세요', en: 'Leave this empty' },
    send: { ko: '보내기', en: 'Send' },
    sending: { ko: '보내는 중…', en: 'Sending…' },
    privacy: {
      ko: '적어 주신 내용과 연락처는 상담을 위해서만 쓰고, 법에 따라 안전하게 보관합니다.',
      en: 'What you write is used only to help you and is kept safely as the law requires.',
    },
    doneTitle: { ko: '잘 접수되었습니다', en: 'We have received it' },
    receipt: { ko: '접수번호', en: 'Receipt number' },
    keep: { ko: '이 번호를 적어 두세요. 처리 상황을 확인할 때 필요합니다.', en: 'Please note this number: you need it to check progress.' },
    nextOn: { ko: '{date}까지 {dong} 주민센터에서 연락드립니다.', en: 'The {dong} community center will contact you by {date}.' },
    nextOnReport: { ko: '{date}까지 {dong} 주민센터에서 확인합니다.', en: 'The {dong} community center will look into it by {date}.' },
    noLookup: {
      ko: '연락처를 남기지 않으셔서 처리 상황은 확인할 수 없습니다. 알려 주셔서 고맙습니다.',
      en: 'Without a phone number the progress cannot be looked up. Thank you for telling us.',
    },
    robot: { ko: '접수되었습니다. 고맙습니다.', en: 'Received. Thank you.' },
    toLookup: { ko: '처리 상황 확인하기', en: 'Check progress' },
    receiptHint: { ko: '예: 2026-서교-000123', en: 'e.g. 2026-서교-000123' },
    last4: { ko: '전화번호 마지막 네 자리', en: 'Last four digits of the phone' },
    last4Hint: { ko: '접수할 때 적은 전화번호의 끝 네 자리', en: 'Of the phone you gave with it' },
    look: { ko: '확인하기', en: 'Look up' },
    status: { ko: '지금 상황', en: 'Status' },
    receivedOn: { ko: '접수한 날', en: 'Received on' },
    nextStep: { ko: '다음 연락 예정일', en: 'Next contact' },
    resolvedOn: { ko: '해결된 날', en: 'Resolved on' },
    answers: { ko: '담당자 답변', en: 'Answers' },
    noAnswers: { ko: '아직 답변이 없습니다. 담당자가 곧 연락드립니다.', en: 'No answer yet; you will be contacted soon.' },
    lockedTitle: { ko: '잠시 뒤에 다시 해 주세요', en: 'Please try again later' },
    notFoundTitle: { ko: '찾지 못했습니다', en: 'Not found' },
    loadFailed: { ko: '화면을 불러오지 못했습니다. 잠시 뒤 새로 고침해 주세요.', en: 'This page could not be loaded. Reload in a moment.' },
  });

const relations = () => [
  { value: '', label: locale.value === 'en' ? '—' : '선택 안 함' },
  { value: '이웃', label: locale.value === 'en' ? 'Neighbour' : '이웃' },
  { value: '집주인', label: locale.value === 'en' ? 'Landlord' : '집주인' },
  { value: '가족·친척', label: locale.value === 'en' ? 'Family' : '가족·친척' },
  { value: '기타', label: locale.value === 'en' ? 'Other' : '기타' },
];

const choiceLabel = (c: Choice) => (locale.value === 'en' && c.label_en ? c.label_en : c.label_ko);

// Easy mode and language are remembered on this device only. Signals, so that switching
// re-renders the form in place and keeps what was typed.
const easyMode = signal(localStorage.getItem('caredesk.portal.easy') === '1');
const portalChoices = signal<Choices | null>(null);
locale.value = (localStorage.getItem('caredesk.portal.locale') as Locale) ?? 'ko';

function useTitle(title: string) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${S().portal}`;
    h1.current?.focus();
  }, [title]);
  return h1;
}

export function Portal() {
  const easy = easyMode.value;
  const lang = locale.value;
  useEffect(() => {
    document.documentElement.classList.toggle('easy-read', easy);
    document.documentElement.lang = lang;
  }, [easy, lang]);
  const choices = portalChoices.value;
  const [loadError, setLoadError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Choices>('/portal/choices').then((c) => (portalChoices.value = c), setLoadError);
  }, []);
  const setEasy = (on: boolean) => {
    localStorage.setItem('caredesk.portal.easy', on ? '1' : '0');
    easyMode.value = on;
  };
  const setLang = (l: Locale) => {
    localStorage.setItem('caredesk.portal.locale', l);
    locale.value = l;
  };
  const s = S();
  return (
    <LocationProvider>
      <div class="portal">
        <header class="portal-top">
          <a class="portal-brand" href="/ask">
            {choices?.district_name ?? ''} {s.portal}
          </a>
          <div class="portal-switches">
            <button type="button" class="switch" aria-pressed={easy} onClick={() => setEasy(!easy)}>
              {s.easy}
            </button>
            <button type="button" class="switch" lang={lang === 'ko' ? 'en' : 'ko'} onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')}>
              {s.language}
            </button>
          </div>
        </header>
        <main id="main" class="portal-main">
          {loadError ? (
            <ErrorSummary error={loadError} message={s.loadFailed} />
          ) : !choices ? (
            <Loading />
          ) : (
            <Router>
              <Route path="/ask" component={Home} />
              <Route path="/ask/new" component={AskForm} />
              <Route path="/ask/report" component={ReportForm} />
              <Route path="/ask/lookup" component={Lookup} />
              <Route default component={Home} />
            </Router>
          )}
        </main>
      </div>
    </LocationProvider>
  );
}

function Home() {
  const s = S();
  const h1 = useTitle(s.portal);
  return (
    <div>
      <h1 tabIndex={-1} ref={h1}>
        {s.portal}
      </h1>
      <p class="lead">{s.tagline}</p>
      <ul class="big-choices">
        {[
          ['/ask/new', s.askTitle, s.askHint],
          ['/ask/report', s.reportTitle, s.reportHint],
          ['/ask/lookup', s.lookupTitle, s.lookupHint],
        ].map(([href, title, hint]) => (
          <li>
            <a class="big-choice" href={href}>
              <span class="big-choice-title">{title}</span>
              <span class="big-choice-hint">{hint}</span>
            </a>
          </li>
        ))}
      </ul>
      <p class="portal-note">{s.phoneToo}</p>
    </div>
  );
}

// The honeypot: off screen, out of the tab order and hidden from screen readers.
function Honeypot(props: { value: string; onValue: (v: string) => void }) {
  return (
    <div class="hp" aria-hidden="true">
      <label>
        {S().website}
        <input name="website" tabIndex={-1} autoComplete="off" value={props.value} onInput={(e) => props.onValue((e.target as HTMLInputElement).value)} />
      </label>
    </div>
  );
}

function dongOptions(choices: Choices) {
  return choices.dongs.map((d) => ({ value: String(d.id), label: d.name }));
}

function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Receipt | null>(null);
  const send = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      setDone(await api.post<Receipt>('/portal/requests', body));
      window.scrollTo(0, 0);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, send };
}

function AskForm() {
  const props = { choices: portalChoices.value!, easy: easyMode.value };
  const s = S();
  const h1 = useTitle(s.askTitle);
  const [f, setF] = useState({ dong_id: '', text: '', category: '', name: '', phone: '', contact_way: 'call', contact_time: 'any', texts: true, website: '' });
  const set = (k: keyof typeof f) => (v: string | boolean) => setF({ ...f, [k]: v });
  const { busy, error, done, send } = useSubmit();
  if (done) return <Done receipt={done} report={false} />;
  return (
    <form
      class="portal-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send({
          kind: 'ask',
          dong_id: f.dong_id ? Number(f.dong_id) : undefined,
          text: f.text,
          category: props.easy ? undefined : f.category || undefined,
          name: f.name,
          phone: f.phone,
          contact_way: props.easy ? 'call' : f.contact_way,
          contact_time: props.easy ? 'any' : f.contact_time,
          texts: f.texts,
          website: f.website,
          easy_read: props.easy,
        });
      }}
    >
      <h1 tabIndex={-1} ref={h1}>
        {s.askTitle}
      </h1>
      <ErrorSummary error={error} />
      <SelectField label={s.dong} value={f.dong_id} onValue={set('dong_id')} options={dongOptions(props.choices)} placeholder={s.chooseDong} required error={fieldError(error, 'dong_id')} name="dong_id" />
      <TextArea label={s.text} hint={s.textHint} value={f.text} onValue={set('text')} rows={props.easy ? 4 : 6} maxLength={2000} required error={fieldError(error, 'text')} name="text" />
      {!props.easy && (
        <SelectField
          label={s.category}
          value={f.category}
          onValue={set('category')}
          options={props.choices.categories.filter((c) => c.code !== 'other').map((c) => ({ value: c.code, label: choiceLabel(c) }))}
          placeholder={s.dontKnow}
          error={fieldError(error, 'category')}
          name="category"
        />
      )}
      <TextField label={s.name} value={f.name} onValue={set('name')} required autoComplete="name" maxLength={50} error={fieldError(error, 'name')} name="name" />
      <TextField label={s.phone} hint={s.phoneHint} value={f.phone} onValue={set('phone')} required type="tel" inputMode="tel" autoComplete="tel" maxLength={20} error={fieldError(error, 'phone')} name="phone" />
      {!props.easy && (
        <>
          <RadioGroup legend={s.way} name="contact_way" value={f.contact_way} onValue={set('contact_way')} options={props.choices.contact_ways.map((c) => ({ value: c.code, label: choiceLabel(c) }))} error={fieldError(error, 'contact_way')} />
          <RadioGroup legend={s.when} name="contact_time" value={f.contact_time} onValue={set('contact_time')} options={props.choices.contact_times.map((c) => ({ value: c.code, label: choiceLabel(c) }))} error={fieldError(error, 'contact_time')} />
        </>
      )}
      <Checkbox label={s.texts} checked={f.texts} onChecked={set('texts')} name="texts" />
      <Honeypot value={f.website} onValue={set('website')} />
      <p class="portal-note">{s.privacy}</p>
      <button type="submit" class="primary big" disabled={busy}>
        {busy ? s.sending : s.send}
      </button>
    </form>
  );
}

function ReportForm() {
  const props = { choices: portalChoices.value!, easy: easyMode.value };
  const s = S();
  const h1 = useTitle(s.reportTitle);
  const [f, setF] = useState({ dong_id: '', text: '', place: '', reporter_name: '', reporter_phone: '', relation: '', website: '' });
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const { busy, error, done, send } = useSubmit();
  if (done) return <Done receipt={done} report />;
  return (
    <form
      class="portal-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send({
          kind: 'report',
          dong_id: f.dong_id ? Number(f.dong_id) : undefined,
          text: f.text,
          place: f.place,
          reporter_name: props.easy ? undefined : f.reporter_name,
          reporter_phone: f.reporter_phone,
          relation: props.easy ? undefined : f.relation,
          website: f.website,
          easy_read: props.easy,
        });
      }}
    >
      <h1 tabIndex={-1} ref={h1}>
        {s.reportTitle}
      </h1>
      <ErrorSummary error={error} />
      <SelectField label={s.dongReport} value={f.dong_id} onValue={set('dong_id')} options={dongOptions(props.choices)} placeholder={s.chooseDong} required error={fieldError(error, 'dong_id')} name="dong_id" />
      <TextArea label={s.seen} value={f.text} onValue={set('text')} rows={props.easy ? 4 : 5} maxLength={2000} required error={fieldError(error, 'text')} name="text" />
      <TextField label={s.place} hint={s.placeHint} value={f.place} onValue={set('place')} required maxLength={300} error={fieldError(error, 'place')} name="place" />
      {!props.easy && <TextField label={s.reporterName} value={f.reporter_name} onValue={set('reporter_name')} autoComplete="name" maxLength={50} error={fieldError(error, 'reporter_name')} name="reporter_name" />}
      <TextField label={s.reporterPhone} hint={s.reporterPhoneHint} value={f.reporter_phone} onValue={set('reporter_phone')} type="tel" inputMode="tel" autoComplete="tel" maxLength={20} error={fieldError(error, 'reporter_phone')} name="reporter_phone" />
      {!props.easy && <SelectField label={s.relation} value={f.relation} onValue={set('relation')} options={relations()} error={fieldError(error, 'relation')} name="relation" />}
      <Honeypot value={f.website} onValue={set('website')} />
      <p class="portal-note">{s.privacy}</p>
      <button type="submit" class="primary big" disabled={busy}>
        {busy ? s.sending : s.send}
      </button>
    </form>
  );
}

function Done(props: { receipt: Receipt; report: boolean }) {
  const s = S();
  const h1 = useTitle(s.doneTitle);
  const r = props.receipt;
  return (
    <div class="portal-done">
      <h1 tabIndex={-1} ref={h1}>
        {s.doneTitle}
      </h1>
      {!r.receipt ? (
        <p class="lead">{s.robot}</p>
      ) : (
        <>
          <p class="receipt-label">{s.receipt}</p>
          <p class="receipt-number" data-testid="receipt">
            {r.receipt}
          </p>
          {r.next_step_on && <p class="lead">{fill(props.report ? s.nextOnReport : s.nextOn, { date: formatDate(r.next_step_on), dong: r.dong_name ?? '' })}</p>}
          {r.lookup_possible ? (
            <>
              <p>{s.keep}</p>
              <a class="big-link" href={'/ask/lookup?receipt=' + encodeURIComponent(r.receipt)}>
                {s.toLookup}
              </a>
            </>
          ) : (
            <p>{s.noLookup}</p>
          )}
        </>
      )}
      <p>
        <a href="/ask">{s.home}</a>
      </p>
    </div>
  );
}

function Lookup() {
  const s = S();
  const h1 = useTitle(s.lookupTitle);
  const loc = useLocation();
  const [receipt, setReceipt] = useState(loc.query.receipt ?? '');
  const [last4, setLast4] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<PublicView | null>(null);
  const result = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (view) result.current?.focus();
  }, [view]);
  const title = error instanceof ApiError && error.status === 429 ? s.lockedTitle : error instanceof ApiError && error.status === 404 ? s.notFoundTitle : undefined;
  return (
    <div>
      <form
        class="portal-form"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setView(null);
          try {
            setView(await api.post<PublicView>('/portal/lookup', { receipt, phone_last4: last4 }));
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <h1 tabIndex={-1} ref={h1}>
          {s.lookupTitle}
        </h1>
        <ErrorSummary error={error} title={title} />
        <TextField label={s.receipt} hint={s.receiptHint} value={receipt} onValue={setReceipt} required maxLength={40} error={fieldError(error, 'receipt')} name="receipt" />
        <TextField label={s.last4} hint={s.last4Hint} value={last4} onValue={setLast4} required inputMode="numeric" maxLength={4} autoComplete="off" error={fieldError(error, 'phone_last4')} name="phone_last4" />
        <button type="submit" class="primary big" disabled={busy}>
          {s.look}
        </button>
      </form>
      {view && (
        <section class="portal-result" aria-labelledby="result-title">
          <h2 id="result-title" tabIndex={-1} ref={result}>
            {s.receipt} {view.receipt}
          </h2>
          <dl class="portal-facts">
            <dt>{s.status}</dt>
            <dd>
              <strong class={'public-status public-status-' + view.status.code} data-testid="public-status">
                {locale.value === 'en' ? view.status.label_en : view.status.label_ko}
              </strong>
              {locale.value !== 'en' && <span class="status-explained">{view.status.explanation_ko}</span>}
            </dd>
            <dt>{s.receivedOn}</dt>
            <dd>{formatDate(view.received_on)}</dd>
            {view.next_step_on && (
              <>
                <dt>{s.nextStep}</dt>
                <dd>{formatDate(view.next_step_on)}</dd>
              </>
            )}
            {view.resolved_on && (
              <>
                <dt>{s.resolvedOn}</dt>
                <dd>{formatDate(view.resolved_on)}</dd>
              </>
            )}
          </dl>
          <h3>{s.answers}</h3>
          {view.answers.length === 0 ? (
            <p>{s.noAnswers}</p>
          ) : (
            <ol class="portal-answers">
              {view.answers.map((a) => (
                <li>
                  <p class="answer-date">{formatDate(a.at)}</p>
                  <p class="answer-text">{a.text}</p>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
