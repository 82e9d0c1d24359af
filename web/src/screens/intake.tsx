// 상담 접수: a walk-in or phone concern registered in under a minute, keyboard
// only. Find or create the resident (duplicate warning), the reporter, the
// concern with category suggestions, urgency (with the crisis protocol), the
// first consultation note and the next step that every case must have.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, request, ApiError, query } from '../api';
import { strings, vocab, label, locale } from '../i18n';
import { me } from '../session';
import { Page, TextField, TextArea, SelectField, Checkbox, RadioGroup, useDraft, Loading } from '../ui';
import { useDirectory, categoryOptions, categoryLabel, dongName } from '../directory';
import {
  nextWorkingDay,
  options,
  tagLabels,
  FollowUpFields,
  ReferralFields,
  emptyFollowUp,
  emptyReferral,
  followUpBody,
  referralBody,
  fieldErrorText,
  ruleOf,
  CrisisProtocol,
  CaseProblem,
  justCreated,
  type FollowUpDraft,
  type ReferralDraft,
  type Resident,
  type CaseView,
} from '../components/case_shared';
import './intake.css';

const S = () =>
  strings({
    title: { ko: '상담 접수', en: 'New case' },
    lead: {
      ko: '필수 항목(*)과 다음 조치만 정하면 바로 저장할 수 있습니다. 입력한 내용은 저장 전까지 이 창에 남아 있습니다.',
      en: 'Fill in the required fields (*) and the next step, then save. What you type stays in this tab until saved.',
    },
    channel: { ko: '접수 경로', en: 'Channel' },
    resident: { ko: '대상자', en: 'Resident' },
    findName: { ko: '이름', en: 'Name' },
    findNameHint: { ko: '예: 홍길동', en: 'e.g. 홍길동' },
    findBirth: { ko: '생년월일', en: 'Birth date' },
    birthHint: { ko: '예: 1950-03-15 (숫자 8자리도 됩니다)', en: 'e.g. 1950-03-15 (8 digits work too)' },
    findPhone: { ko: '전화번호', en: 'Phone' },
    phoneHint: { ko: '예: 010-1234-5678', en: 'e.g. 010-1234-5678' },
    findHint: {
      ko: '이름과 생년월일, 또는 전화번호로 찾습니다. 입력란에서 Enter를 누르면 찾습니다.',
      en: 'Search by name and birth date, or by phone. Press Enter in a field to search.',
    },
    find: { ko: '주민 찾기', en: 'Find resident' },
    newResident: { ko: '새 주민으로 등록', en: 'Register a new resident' },
    noResident: { ko: '대상자 미상으로 접수', en: 'Resident unknown' },
    results: { ko: '찾은 주민', en: 'Residents found' },
    resultsNone: {
      ko: '일치하는 주민이 없습니다. 새 주민으로 등록해 주세요.',
      en: 'No matching resident. Register a new one.',
    },
    resultsHint: { ko: '개인정보는 가려서 보여 줍니다.', en: 'Personal data is masked.' },
    pick: { ko: '이 주민으로 접수', en: 'Use this resident' },
    chosen: { ko: '선택한 주민', en: 'Chosen resident' },
    change: { ko: '다른 주민 선택', en: 'Choose another' },
    researched: { ko: '다시 찾기', en: 'Search again' },
    unknownText: {
      ko: '대상자를 모르는 상태로 접수합니다 (예: 이웃의 신고). 확인되면 상담에서 기록해 주세요.',
      en: 'Received without a known resident (e.g. a neighbour’s report).',
    },
    findInstead: { ko: '주민 찾기로 돌아가기', en: 'Back to search' },
    newTitle: { ko: '새 주민 정보', en: 'New resident' },
    name: { ko: '이름', en: 'Name' },
    nameHint: { ko: '모르면 "미상"으로 적어 주세요.', en: 'Write 미상 if unknown.' },
    address: { ko: '주소', en: 'Address' },
    dong: { ko: '동', en: 'Dong' },
    household: { ko: '가구 사항', en: 'Household' },
    livingAlone: { ko: '1인 가구 (혼자 삶)', en: 'Lives alone' },
    members: { ko: '가구원 수', en: 'Household members' },
    disability: { ko: '장애가 있는 가구원', en: 'A member with a disability' },
    housing: { ko: '주거 형태', en: 'Housing' },
    tags: { ko: '취약 요인', en: 'Vulnerabilities' },
    dupTitle: { ko: '이미 등록된 주민일 수 있습니다', en: 'This resident may already be registered' },
    dupLead: {
      ko: '같은 이름·생년월일 또는 같은 전화번호의 주민이 있습니다. 같은 분이면 기존 기록을 쓰고, 다른 분이면 새로 등록해 주세요.',
      en: 'A resident with the same name and birth date, or the same phone, exists. Use that record if it is the same person.',
    },
    useThis: { ko: '이 주민으로 접수', en: 'Use this one' },
    reallyNew: { ko: '다른 사람입니다 (새로 등록)', en: 'A different person (register new)' },
    reallyNewSet: {
      ko: '다른 사람으로 확인했습니다. 저장하면 새 주민으로 등록합니다.',
      en: 'Confirmed as a different person: saving registers a new resident.',
    },
    reporter: { ko: '신고자', en: 'Reporter' },
    reporterKind: { ko: '누가 알려 왔나요', en: 'Who brought the concern' },
    self: { ko: '본인', en: 'The resident' },
    thirdParty: { ko: '다른 사람 (제3자)', en: 'Someone else (third party)' },
    reporterName: { ko: '신고자 이름 (선택)', en: 'Reporter’s name (optional)' },
    relation: { ko: '대상자와의 관계', en: 'Relation to the resident' },
    relationHint: { ko: '예: 이웃, 집주인, 가족, 통장', en: 'e.g. neighbour, landlord, family' },
    contact: { ko: '신고자 연락처 (선택)', en: 'Reporter’s contact (optional)' },
    concern: { ko: '상담 내용', en: 'The concern' },
    summary: { ko: '무엇이 어려우신가요 (주민의 말로)', en: 'What is the difficulty (in the resident’s words)' },
    suggestions: { ko: '추천 분야', en: 'Suggested categories' },
    suggestionsHint: { ko: '누르면 분야로 정해집니다.', en: 'Press to choose.' },
    suggestionCount: { ko: '추천 분야 {n}개', en: '{n} suggested categories' },
    crisisSuggested: {
      ko: '위기 신호가 있는 말이 보입니다. 저장하면 긴급도 "위기"로 접수되어 오늘의 업무 맨 위에 올라갑니다.',
      en: 'Words that signal a crisis were found. Saving makes this a crisis case, on top of Today.',
    },
    crisisWords: { ko: '감지된 말', en: 'Words found' },
    crisisByModel: { ko: '분류 모델이 위기 가능성을 판단했습니다', en: 'The classifier judged it a possible crisis' },
    makeCrisis: { ko: '긴급도를 "위기"로 정하기', en: 'Set urgency to crisis' },
    notCrisis: { ko: '위기가 아니라고 판단한 이유', en: 'Why this is not a crisis' },
    notCrisisHint: {
      ko: '고르면 선택한 긴급도로 접수하고, 판단 이유를 상담 이력에 남깁니다.',
      en: 'If chosen, the case keeps the urgency you chose and your reason goes on its timeline.',
    },
    crisisKept: { ko: '위기로 접수 (이유 선택 안 함)', en: 'Receive as a crisis (no reason)' },
    agencies: { ko: '추천 연계 기관', en: 'Suggested agencies' },
    referHere: { ko: '이 기관에 연계', en: 'Refer here' },
    referChosen: { ko: '연계 기관으로 선택됨', en: 'Chosen for the referral' },
    classify: { ko: '분야와 긴급도', en: 'Category and urgency' },
    primary: { ko: '주 분야', en: 'Main category' },
    secondary: { ko: '보조 분야 (선택)', en: 'Other categories (optional)' },
    choose: { ko: '선택해 주세요', en: 'Choose' },
    urgency: { ko: '긴급도', en: 'Urgency' },
    caseDong: { ko: '어느 동의 상담인가요', en: 'Which dong is this case for' },
    consultation: { ko: '첫 상담 기록', en: 'First consultation' },
    consultHint: { ko: '지금 나눈 상담을 적어 두면 상담 중으로 시작합니다 (선택).', en: 'Optional: the consultation you just had.' },
    consultKind: { ko: '상담 방식', en: 'Kind' },
    notes: { ko: '상담 내용 기록', en: 'Notes' },
    outcome: { ko: '안내·결과 (선택)', en: 'Outcome (optional)' },
    nextStep: { ko: '다음 조치', en: 'Next step' },
    nextStepLead: {
      ko: '모든 상담에는 다음 조치(날짜와 담당자)가 있어야 저장할 수 있습니다. 하나 이상 정해 주세요.',
      en: 'Every case needs a next step (with a date and an owner) before it can be saved. Choose at least one.',
    },
    nextStepMissing: {
      ko: '다음 조치가 없습니다. 사후관리 일정을 잡거나 기관 연계를 선택해 주세요.',
      en: 'No next step yet: schedule a follow-up or refer to an agency.',
    },
    wantFollowUp: { ko: '사후관리 일정 잡기 (추가 상담·안부 확인·가정 방문)', en: 'Schedule a follow-up' },
    wantReferral: { ko: '기관에 연계하기', en: 'Refer to an agency' },
    save: { ko: '접수 저장', en: 'Save the case' },
    saving: { ko: '저장하는 중…', en: 'Saving…' },
    reset: { ko: '입력 내용 모두 지우기', en: 'Clear the form' },
    resetConfirm: { ko: '입력한 내용을 모두 지울까요?', en: 'Clear everything you typed?' },
    fixErrors: { ko: '저장하기 전에 확인해 주세요', en: 'Please check before saving' },
    required: { ko: '필수 항목입니다.', en: 'Required.' },
    relationRequired: { ko: '신고자와 대상자의 관계를 적어 주세요.', en: 'Give the reporter’s relation.' },
    nameRequired: { ko: '대상자 이름을 입력해 주세요. 모르면 "미상"으로 적어 주세요.', en: 'Give the resident’s name.' },
    summaryRequired: { ko: '상담 내용을 적어 주세요.', en: 'Describe the concern.' },
    primaryRequired: { ko: '주 분야를 선택해 주세요.', en: 'Choose the main category.' },
    agencyRequired: { ko: '연계 기관을 선택해 주세요.', en: 'Choose an agency.' },
    givenByRequired: { ko: '누가 동의했는지 적어 주세요.', en: 'Who gave consent?' },
    dueRequired: { ko: '기한을 정해 주세요.', en: 'Choose a due date.' },
    dongRequired: { ko: '동을 선택해 주세요.', en: 'Choose a dong.' },
    residentRequired: {
      ko: '대상자를 찾아 선택하거나, 새 주민으로 등록하거나, "대상자 미상"을 골라 주세요.',
      en: 'Find and pick the resident, register a new one, or choose "resident unknown".',
    },
    lookupFailed: { ko: '주민을 찾지 못했습니다', en: 'The search failed' },
    contactBy: { ko: '진행 안내 문자', en: 'Progress messages' },
    contactSms: { ko: '문자로 받기', en: 'By SMS' },
    contactAlimtalk: { ko: '카카오 알림톡으로 받기', en: 'By KakaoTalk AlimTalk' },
    contactNone: { ko: '받지 않기', en: 'None (opted out)' },
    contactHint: {
      ko: '접수번호, 다음 연락일, 해결 안내를 보냅니다. 주민 본인이 찾아오거나 전화·온라인으로 물은 상담만 보냅니다.',
      en: 'The receipt number, next contact date and resolution. Only for cases the resident brought themselves.',
    },
  });

interface NewResidentDraft {
  name: string;
  birth_date: string;
  phone: string;
  address: string;
  dong_id: string;
  living_alone: boolean;
  members: string;
  disability: boolean;
  housing_type: string;
  tags: string[];
  contact_by?: string; // sms, alimtalk, none (absent in drafts from before: sms)
}

interface IntakeDraft {
  channel: string;
  find: { name: string; birth_date: string; phone: string };
  residentMode: 'search' | 'existing' | 'new' | 'none';
  resident: Resident | null;
  newResident: NewResidentDraft;
  confirmNew: boolean;
  reporterKind: string;
  reporter: { name: string; relation: string; contact: string };
  summary: string;
  primary: string;
  secondary: string[];
  urgency: string;
  caseDong: string;
  consultKind: string;
  notes: string;
  outcome: string;
  wantFollowUp: boolean;
  followUp: FollowUpDraft;
  wantReferral: boolean;
  referral: ReferralDraft;
  crisisDismissal: string; // a code when the counselor judged flagged words not a crisis
}

function initialDraft(): IntakeDraft {
  const dong = me.value?.dong_id ? String(me.value.dong_id) : '';
  return {
    channel: 'visit',
    find: { name: '', birth_date: '', phone: '' },
    residentMode: 'search',
    resident: null,
    newResident: {
      name: '',
      birth_date: '',
      phone: '',
      address: '',
      dong_id: dong,
      living_alone: false,
      members: '1',
      disability: false,
      housing_type: 'unknown',
      tags: [],
      contact_by: 'sms',
    },
    confirmNew: false,
    reporterKind: 'self',
    reporter: { name: '', relation: '', contact: '' },
    summary: '',
    primary: '',
    secondary: [],
    urgency: 'normal',
    caseDong: dong,
    consultKind: 'visit',
    notes: '',
    outcome: '',
    wantFollowUp: false,
    followUp: emptyFollowUp('counseling', ''),
    wantReferral: false,
    referral: emptyReferral(),
    crisisDismissal: '',
  };
}

// "19500315" → "1950-03-15"; anything else as typed.
function normaliseDate(v: string): string {
  const t = v.trim();
  const digits = t.replace(/\D/g, '');
  if (digits.length === 8 && /^[\d.\-/ ]+$/.test(t)) return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`;
  return t;
}

interface Triage {
  categories: { code: string; score: number; matched: string[] }[];
  crisis: { flag: boolean; terms: string[] };
  agencies: { id: number; name: string; reason: string; reason_en: string }[];
  model: string;
}

// A suggestion worth a chip: the classifier gives it some weight, or its own words are in the text.
const kMinChipScore = 0.05;

// The texts the server screens for crisis words at intake: the concern and the first notes.
function crisisText(d: { summary: string; notes: string }): string {
  return [d.summary.trim(), d.notes.trim()].filter(Boolean).join('\n');
}

// POST /triage, if the server has it: no endpoint, no chips, no error.
let triageMissing = false;

function useTriage(text: string): Triage | null {
  const [result, setResult] = useState<Triage | null>(null);
  useEffect(() => {
    if (triageMissing || text.trim().length < 4) {
      setResult(null);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api.post<Triage>('/triage', { text: text.slice(0, 4000) }, { signal: ctrl.signal }).then(
        (t) => !ctrl.signal.aborted && setResult(t && Array.isArray(t.categories) ? t : null),
        (e) => {
          if (e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 403)) triageMissing = true;
          if (!ctrl.signal.aborted) setResult(null);
        },
      );
    }, 500);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text]);
  return result;
}

function residentLine(r: Resident, dir: Parameters<typeof dongName>[0]): string {
  return [r.name, r.birth_date, r.phone, dongName(dir, r.dong_id)].filter(Boolean).join(' · ');
}

export function Intake() {
  const s = S();
  const loc = useLocation();
  const [d, setD, clearDraft] = useDraft<IntakeDraft>('intake', initialDraft());
  const dir = useDirectory();
  const [found, setFound] = useState<Resident[] | null>(null);
  const [findError, setFindError] = useState<unknown>(null);
  const [finding, setFinding] = useState(false);
  const [dupes, setDupes] = useState<{ id: number; text: string }[]>([]);
  const [residentError, setResidentError] = useState<unknown>(null);
  const [caseError, setCaseError] = useState<unknown>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const newNameRef = useRef<HTMLDivElement>(null);
  const dupRef = useRef<HTMLHeadingElement>(null);
  const nextRef = useRef<HTMLHeadingElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const triage = useTriage(crisisText(d));
  const [secondaryOpen] = useState(d.secondary.length > 0);

  const up = (patch: Partial<IntakeDraft>) => setD((old) => ({ ...old, ...patch }));
  const upNew = (patch: Partial<NewResidentDraft>) => setD((old) => ({ ...old, newResident: { ...old.newResident, ...patch } }));

  // The follow-up's default due date: the next working day (holidays known once loaded).
  useEffect(() => {
    if (dir.data && !d.followUp.due) {
      setD((old) => ({ ...old, followUp: { ...old.followUp, due: nextWorkingDay(dir.data!.holidays) } }));
    }
  }, [dir.data]);

  const err = (field: string, ...serverFields: string[]) =>
    clientErrors[field] ?? [field, ...serverFields].map((f) => fieldErrorText(caseError, f)).find(Boolean);
  const resErr = (field: string) => clientErrors['resident.' + field] ?? fieldErrorText(residentError, field);

  async function find() {
    const q = { name: d.find.name.trim(), birth_date: normaliseDate(d.find.birth_date), phone: d.find.phone.trim() };
    setFindError(null);
    setFinding(true);
    try {
      const r = await api.get<{ items: Resident[] }>('/residents' + query(q));
      setFound(r.items);
    } catch (e) {
      setFound(null);
      setFindError(e);
    } finally {
      setFinding(false);
      setTimeout(() => resultsRef.current?.focus(), 0);
    }
  }

  function startNew() {
    setD((old) => ({
      ...old,
      residentMode: 'new',
      resident: null,
      confirmNew: false,
      newResident: {
        ...old.newResident,
        name: old.newResident.name || old.find.name.trim(),
        birth_date: old.newResident.birth_date || normaliseDate(old.find.birth_date),
        phone: old.newResident.phone || old.find.phone.trim(),
      },
    }));
    setDupes([]);
    setTimeout(() => newNameRef.current?.querySelector('input')?.focus(), 0);
  }

  function pick(r: Resident) {
    up({ residentMode: 'existing', resident: r, confirmNew: false });
    setDupes([]);
    setResidentError(null);
  }

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    if (d.residentMode === 'search') e['resident'] = s.residentRequired;
    if (d.residentMode === 'new' && !d.newResident.name.trim()) e['resident.name'] = s.nameRequired;
    if (d.reporterKind === 'third_party' && !d.reporter.relation.trim()) e['reporter.relation'] = s.relationRequired;
    if (!d.summary.trim()) e['summary'] = s.summaryRequired;
    if (!d.primary) e['primary_category'] = s.primaryRequired;
    if (!me.value?.dong_id && d.residentMode !== 'existing' && !d.caseDong && !(d.residentMode === 'new' && d.newResident.dong_id))
      e['dong_id'] = s.dongRequired;
    if (!d.wantFollowUp && !d.wantReferral) e['next_step'] = s.nextStepMissing;
    if (d.wantFollowUp && !d.followUp.due) e['follow_up.due'] = s.dueRequired;
    if (d.wantReferral && !d.referral.agency_id) e['referral.agency_id'] = s.agencyRequired;
    if (d.wantReferral && !d.referral.given_by.trim()) e['referral.consent.given_by'] = s.givenByRequired;
    return e;
  }

  function residentBody(n: NewResidentDraft, confirm: boolean) {
    return {
      name: n.name.trim(),
      ...(n.birth_date.trim() ? { birth_date: normaliseDate(n.birth_date) } : {}),
      ...(n.phone.trim() ? { phone: n.phone.trim() } : {}),
      ...(n.address.trim() ? { address: n.address.trim() } : {}),
      ...(n.dong_id ? { dong_id: Number(n.dong_id) } : {}),
      household: {
        living_alone: n.living_alone,
        members: n.living_alone ? 1 : Math.max(1, Number(n.members) || 1),
        disability: n.disability,
        housing_type: n.housing_type || 'unknown',
      },
      tags: n.tags,
      contact_by: n.contact_by || 'sms',
      ...(confirm ? { confirm_new: true } : {}),
    };
  }

  async function save(ev: Event) {
    ev.preventDefault();
    const errors = validate();
    setClientErrors(errors);
    setCaseError(null);
    if (Object.keys(errors).length > 0) {
      setTimeout(() => problemRef.current?.focus(), 0);
      return;
    }
    setBusy(true);
    try {
      let residentId: number | undefined = d.residentMode === 'existing' ? d.resident?.id : undefined;
      if (d.residentMode === 'new') {
        setResidentError(null);
        try {
          const r = await api.post<Resident>('/residents', residentBody(d.newResident, d.confirmNew));
          residentId = r.id;
          // Registered: a retry after a later error uses this record, never a second copy.
          up({ residentMode: 'existing', resident: r, confirmNew: false });
          setDupes([]);
        } catch (e) {
          if (e instanceof ApiError && e.status === 409) {
            setDupes(
              e.details
                .filter((x) => x.code === 'possible_duplicate')
                .map((x) => ({ id: Number(x.message), text: x.message_ko }))
                .filter((x) => x.id > 0),
            );
            setTimeout(() => dupRef.current?.focus(), 0);
          } else {
            setResidentError(e);
            setTimeout(() => problemRef.current?.focus(), 0);
          }
          return;
        }
      }
      const thirdParty = d.reporterKind === 'third_party';
      const body = {
        channel: d.channel,
        reporter: thirdParty
          ? {
              kind: 'third_party',
              ...(d.reporter.name.trim() ? { name: d.reporter.name.trim() } : {}),
              relation: d.reporter.relation.trim(),
              ...(d.reporter.contact.trim() ? { contact: d.reporter.contact.trim() } : {}),
            }
          : { kind: 'self' },
        ...(residentId ? { resident_id: residentId } : {}),
        ...(!residentId && d.caseDong ? { dong_id: Number(d.caseDong) } : {}),
        primary_category: d.primary,
        secondary_categories: d.secondary.filter((c) => c !== d.primary),
        urgency: d.urgency,
        ...(d.urgency !== 'crisis' && d.crisisDismissal && triage?.crisis?.flag ? { crisis_dismissal: d.crisisDismissal } : {}),
        summary: d.summary.trim(),
        ...(d.notes.trim()
          ? { consultation: { kind: d.consultKind, notes: d.notes.trim(), ...(d.outcome.trim() ? { outcome: d.outcome.trim() } : {}) } }
          : {}),
        ...(d.wantFollowUp ? { follow_up: followUpBody(d.followUp) } : {}),
        ...(d.wantReferral ? { referral: referralBody(d.referral) } : {}),
      };
      const answer = await request<CaseView>('POST', '/cases', body);
      clearDraft();
      justCreated.value = { id: answer.data.id, number: answer.data.number };
      loc.route('/cases/' + answer.data.id);
    } catch (e) {
      setCaseError(e);
      setTimeout(() => (ruleOf(e) === 'next_step_required' ? nextRef.current : problemRef.current)?.focus(), 0);
    } finally {
      setBusy(false);
    }
  }

  if (dir.loading && !dir.data) {
    return (
      <Page title={s.title}>
        <Loading />
      </Page>
    );
  }
  if (dir.error && !dir.data) {
    return (
      <Page title={s.title}>
        <CaseProblem error={dir.error}>
          <button type="button" onClick={dir.reload}>
            {locale.value === 'en' ? 'Try again' : '다시 시도'}
          </button>
        </CaseProblem>
      </Page>
    );
  }
  const directory = dir.data;
  const clientList = Object.entries(clientErrors);
  const nextStepServer = ruleOf(caseError) === 'next_step_required' ? caseError : null;
  const nextStepMessage =
    clientErrors['next_step'] ?? (nextStepServer instanceof ApiError ? nextStepServer.text(locale.value) : undefined);
  const flagged = !!triage?.crisis?.flag;
  const showCrisis = d.urgency === 'crisis' || (flagged && !d.crisisDismissal);
  const chips = (triage?.categories ?? []).filter((x) => x.score >= kMinChipScore || x.matched?.length > 0);
  const chosenCats = [d.primary, ...d.secondary].filter(Boolean);

  return (
    <Page title={s.title}>
      <p class="muted">{s.lead}</p>
      <form class="intake" onSubmit={save} noValidate>
        {/* 1. Channel */}
        <div class="card">
          <RadioGroup
            legend={s.channel}
            name="channel"
            value={d.channel}
            onValue={(channel) =>
              setD((old) => ({
                ...old,
                channel,
                reporterKind: channel === 'third_party' ? 'third_party' : old.reporterKind,
                consultKind: channel === 'phone' ? 'call' : channel === 'online' ? 'message' : channel === 'outreach' ? 'home_visit' : 'visit',
              }))
            }
            options={options(vocab.channel)}
            error={err('channel')}
          />
        </div>

        {/* 2. Resident */}
        <section class="card" aria-labelledby="intake-resident">
          <h2 id="intake-resident">{s.resident}</h2>
          {clientErrors['resident'] && <p class="error-text">{clientErrors['resident']}</p>}
          {d.residentMode === 'search' && (
            <div>
              <div
                class="row"
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
                    e.preventDefault();
                    void find();
                  }
                }}
              >
                <TextField
                  label={s.findName}
                  value={d.find.name}
                  onValue={(name) => up({ find: { ...d.find, name } })}
                  hint={s.findNameHint}
                  autoComplete="off"
                />
                <TextField
                  label={s.findBirth}
                  value={d.find.birth_date}
                  onValue={(birth_date) => up({ find: { ...d.find, birth_date } })}
                  inputMode="numeric"
                  hint={s.birthHint}
                  autoComplete="off"
                />
                <TextField
                  label={s.findPhone}
                  value={d.find.phone}
                  onValue={(phone) => up({ find: { ...d.find, phone } })}
                  inputMode="tel"
                  type="tel"
                  hint={s.phoneHint}
                  autoComplete="off"
                />
              </div>
              <p class="hint">{s.findHint}</p>
              <div class="actions">
                <button type="button" onClick={find} disabled={finding}>
                  {s.find}
                </button>
                <button type="button" onClick={startNew}>
                  {s.newResident}
                </button>
                <button type="button" onClick={() => up({ residentMode: 'none', resident: null })}>
                  {s.noResident}
                </button>
              </div>
              {findError && (
                <CaseProblem error={findError}>
                  <p class="muted small">{s.lookupFailed}</p>
                </CaseProblem>
              )}
              {found && (
                <div class="intake-results">
                  <h3 tabIndex={-1} ref={resultsRef}>
                    {s.results} ({found.length})
                  </h3>
                  {found.length === 0 ? (
                    <div class="intake-chosen">
                      <p>{s.resultsNone}</p>
                      <button type="button" class="primary" onClick={startNew}>
                        {s.newResident}
                      </button>
                    </div>
                  ) : (
                    <>
                      <p class="hint">{s.resultsHint}</p>
                      <ul class="intake-list">
                        {found.map((r) => (
                          <li>
                            <span>{residentLine(r, directory)}</span>
                            <button type="button" onClick={() => pick(r)} aria-label={`${s.pick}: ${r.name} ${r.birth_date}`}>
                              {s.pick}
                            </button>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
              )}
            </div>
          )}
          {d.residentMode === 'existing' && d.resident && (
            <div class="intake-chosen">
              <p>
                <strong>{s.chosen}:</strong> {residentLine(d.resident, directory)}
              </p>
              <button type="button" onClick={() => up({ residentMode: 'search', resident: null })}>
                {s.change}
              </button>
            </div>
          )}
          {d.residentMode === 'none' && (
            <div class="intake-chosen">
              <p>{s.unknownText}</p>
              <button type="button" onClick={() => up({ residentMode: 'search' })}>
                {s.findInstead}
              </button>
            </div>
          )}
          {d.residentMode === 'new' && (
            <div>
              <h3>{s.newTitle}</h3>
              {dupes.length > 0 && (
                <div class="intake-dupes" role="alert">
                  <h4 tabIndex={-1} ref={dupRef}>
                    {s.dupTitle}
                  </h4>
                  <p>{s.dupLead}</p>
                  <ul class="intake-list">
                    {dupes.map((x) => (
                      <li>
                        <span>{x.text}</span>
                        <button
                          type="button"
                          onClick={async () => {
                            try {
                              const r = await api.get<Resident>('/residents/' + x.id);
                              pick(r);
                            } catch (e) {
                              setResidentError(e);
                            }
                          }}
                        >
                          {s.useThis}
                        </button>
                      </li>
                    ))}
                  </ul>
                  <button
                    type="button"
                    onClick={() => {
                      up({ confirmNew: true });
                      setDupes([]);
                    }}
                  >
                    {s.reallyNew}
                  </button>
                </div>
              )}
              {d.confirmNew && <p class="notice notice-warn">{s.reallyNewSet}</p>}
              {residentError && <CaseProblem error={residentError} />}
              <div class="row">
                <div ref={newNameRef} class="intake-grow">
                  <TextField
                    label={s.name}
                    value={d.newResident.name}
                    onValue={(name) => upNew({ name })}
                    hint={s.nameHint}
                    error={resErr('name')}
                    required
                    autoComplete="off"
                    maxLength={100}
                  />
                </div>
                <TextField
                  label={s.findBirth}
                  value={d.newResident.birth_date}
                  onValue={(birth_date) => upNew({ birth_date })}
                  hint={s.birthHint}
                  error={resErr('birth_date')}
                  inputMode="numeric"
                  autoComplete="off"
                />
                <TextField
                  label={s.findPhone}
                  value={d.newResident.phone}
                  onValue={(phone) => upNew({ phone })}
                  hint={s.phoneHint}
                  error={resErr('phone')}
                  type="tel"
                  inputMode="tel"
                  autoComplete="off"
                />
              </div>
              <div class="row">
                <div class="intake-grow2">
                  <TextField
                    label={s.address}
                    value={d.newResident.address}
                    onValue={(address) => upNew({ address })}
                    error={resErr('address')}
                    autoComplete="off"
                    maxLength={300}
                  />
                </div>
                <SelectField
                  label={s.dong}
                  value={d.newResident.dong_id}
                  onValue={(dong_id) => upNew({ dong_id })}
                  options={(directory?.dongs ?? []).map((x) => ({ value: String(x.id), label: x.name }))}
                  placeholder={s.choose}
                  error={resErr('dong_id')}
                />
              </div>
              <SelectField
                label={s.contactBy}
                name="contact_by"
                value={d.newResident.contact_by || 'sms'}
                onValue={(contact_by) => upNew({ contact_by })}
                options={[
                  { value: 'sms', label: s.contactSms },
                  { value: 'alimtalk', label: s.contactAlimtalk },
                  { value: 'none', label: s.contactNone },
                ]}
                hint={s.contactHint}
                error={resErr('contact_by')}
              />
              <fieldset>
                <legend>{s.household}</legend>
                <div class="row">
                  <Checkbox
                    label={s.livingAlone}
                    checked={d.newResident.living_alone}
                    onChecked={(living_alone) => upNew({ living_alone, members: living_alone ? '1' : d.newResident.members })}
                  />
                  <TextField
                    label={s.members}
                    type="number"
                    min="1"
                    max="30"
                    value={d.newResident.living_alone ? '1' : d.newResident.members}
                    onValue={(members) => upNew({ members })}
                    error={resErr('household.members')}
                    disabled={d.newResident.living_alone}
                  />
                  <Checkbox label={s.disability} checked={d.newResident.disability} onChecked={(disability) => upNew({ disability })} />
                  <SelectField
                    label={s.housing}
                    value={d.newResident.housing_type}
                    onValue={(housing_type) => upNew({ housing_type })}
                    options={options(vocab.housing)}
                  />
                </div>
              </fieldset>
              <fieldset class="case-checks">
                <legend>{s.tags}</legend>
                {Object.keys(tagLabels).map((t) => (
                  <Checkbox
                    label={label(tagLabels, t)}
                    checked={d.newResident.tags.includes(t)}
                    onChecked={(on) =>
                      upNew({ tags: on ? [...d.newResident.tags.filter((x) => x !== t), t] : d.newResident.tags.filter((x) => x !== t) })
                    }
                  />
                ))}
              </fieldset>
              <button type="button" onClick={() => up({ residentMode: 'search' })}>
                {s.researched}
              </button>
            </div>
          )}
          {!me.value?.dong_id && d.residentMode !== 'existing' && d.residentMode !== 'new' && (
            <SelectField
              label={s.caseDong}
              value={d.caseDong}
              onValue={(caseDong) => up({ caseDong })}
              options={(directory?.dongs ?? []).map((x) => ({ value: String(x.id), label: x.name }))}
              placeholder={s.choose}
              error={err('dong_id')}
              required
            />
          )}
        </section>

        {/* 3. Reporter */}
        <section class="card" aria-labelledby="intake-reporter">
          <h2 id="intake-reporter">{s.reporter}</h2>
          <RadioGroup
            legend={s.reporterKind}
            name="reporter_kind"
            value={d.reporterKind}
            onValue={(reporterKind) => up({ reporterKind })}
            options={[
              { value: 'self', label: s.self },
              { value: 'third_party', label: s.thirdParty },
            ]}
            error={err('reporter.kind')}
          />
          {d.reporterKind === 'third_party' && (
            <div class="row">
              <TextField
                label={s.relation}
                value={d.reporter.relation}
                onValue={(relation) => up({ reporter: { ...d.reporter, relation } })}
                hint={s.relationHint}
                error={err('reporter.relation')}
                required
                maxLength={50}
              />
              <TextField
                label={s.reporterName}
                value={d.reporter.name}
                onValue={(name) => up({ reporter: { ...d.reporter, name } })}
                error={err('reporter.name')}
                maxLength={100}
              />
              <TextField
                label={s.contact}
                value={d.reporter.contact}
                onValue={(contact) => up({ reporter: { ...d.reporter, contact } })}
                error={err('reporter.contact')}
                type="tel"
                inputMode="tel"
                maxLength={200}
              />
            </div>
          )}
        </section>

        {/* 4. The concern, with suggestions */}
        <section class="card" aria-labelledby="intake-concern">
          <h2 id="intake-concern">{s.concern}</h2>
          <TextArea label={s.summary} value={d.summary} onValue={(summary) => up({ summary })} error={err('summary')} required rows={4} maxLength={4000} />
          {chips.length > 0 && (
            <div class="intake-chips" role="group" aria-labelledby="intake-chips-label">
              <p id="intake-chips-label" class="intake-chips-label">
                {s.suggestions} <span class="muted small">({s.suggestionsHint})</span>
              </p>
              <div class="actions">
                {chips.map((x) => {
                  const chosen = chosenCats.includes(x.code);
                  return (
                    <button
                      type="button"
                      class={'case-chip' + (chosen ? ' case-chip-on' : '')}
                      aria-pressed={chosen}
                      onClick={() =>
                        setD((old) => {
                          if (!old.primary) return { ...old, primary: x.code };
                          if (old.primary === x.code) return old;
                          const has = old.secondary.includes(x.code);
                          return { ...old, secondary: has ? old.secondary.filter((c) => c !== x.code) : [...old.secondary, x.code] };
                        })
                      }
                    >
                      {categoryLabel(directory, x.code)}
                      {x.matched?.length > 0 && <span class="case-chip-why"> · {x.matched.slice(0, 3).join(', ')}</span>}
                    </button>
                  );
                })}
              </div>
            </div>
          )}
          <p class="visually-hidden" aria-live="polite">
            {chips.length > 0 ? s.suggestionCount.replace('{n}', String(chips.length)) : ''}
          </p>
          {triage && triage.agencies?.length > 0 && (
            <div class="intake-agencies">
              <p class="intake-chips-label" id="intake-agencies-label">
                {s.agencies}
              </p>
              <ul aria-labelledby="intake-agencies-label">
                {triage.agencies.map((a) => {
                  const chosen = d.wantReferral && d.referral.agency_id === String(a.id);
                  return (
                    <li>
                      <span class="intake-agency-name">{a.name}</span>{' '}
                      <span class="muted small">{locale.value === 'en' ? a.reason_en : a.reason}</span>{' '}
                      {chosen ? (
                        <span class="badge">{s.referChosen}</span>
                      ) : (
                        <button
                          type="button"
                          class="link"
                          onClick={() =>
                            setD((old) => ({ ...old, wantReferral: true, referral: { ...old.referral, agency_id: String(a.id), all: true } }))
                          }
                        >
                          {s.referHere}
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
          {flagged && d.urgency !== 'crisis' && (
            <div class="notice notice-warn intake-crisis" role="status">
              <p>
                <strong>{s.crisisSuggested}</strong>
              </p>
              <p>
                {triage!.crisis.terms?.length > 0 ? (
                  <>
                    {s.crisisWords}:{' '}
                    {triage!.crisis.terms.map((t, i) => (
                      <>
                        {i > 0 && ', '}
                        <mark class="crisis-term">{t}</mark>
                      </>
                    ))}
                  </>
                ) : (
                  s.crisisByModel
                )}
              </p>
              <div class="actions">
                <button type="button" class="danger" onClick={() => up({ urgency: 'crisis', crisisDismissal: '' })}>
                  {s.makeCrisis}
                </button>
              </div>
              <SelectField
                label={s.notCrisis}
                value={d.crisisDismissal}
                onValue={(crisisDismissal) => up({ crisisDismissal })}
                options={options(vocab.crisisDismissal)}
                placeholder={s.crisisKept}
                hint={s.notCrisisHint}
                error={err('crisis_dismissal')}
              />
            </div>
          )}
        </section>

        {/* 5. Category and urgency */}
        <section class="card" aria-labelledby="intake-classify">
          <h2 id="intake-classify">{s.classify}</h2>
          <div class="row">
            <SelectField
              label={s.primary}
              value={d.primary}
              onValue={(primary) => up({ primary, secondary: d.secondary.filter((c) => c !== primary) })}
              options={categoryOptions(directory)}
              placeholder={s.choose}
              error={err('primary_category')}
              required
            />
          </div>
          <details class="intake-secondary" open={secondaryOpen}>
            <summary>{s.secondary}</summary>
            <div class="case-checks">
              {(directory?.categories ?? [])
                .filter((c) => c.code !== d.primary)
                .map((c) => (
                  <Checkbox
                    label={locale.value === 'en' ? c.label_en : c.label_ko}
                    checked={d.secondary.includes(c.code)}
                    onChecked={(on) =>
                      up({ secondary: on ? [...d.secondary.filter((x) => x !== c.code), c.code] : d.secondary.filter((x) => x !== c.code) })
                    }
                  />
                ))}
            </div>
            {err('secondary_categories') && <p class="error-text">{err('secondary_categories')}</p>}
          </details>
          <RadioGroup legend={s.urgency} name="urgency" value={d.urgency} onValue={(urgency) => up({ urgency })} options={options(vocab.urgency)} error={err('urgency')} />
          {showCrisis && <CrisisProtocol />}
        </section>

        {/* 6. First consultation */}
        <section class="card" aria-labelledby="intake-consultation">
          <h2 id="intake-consultation">{s.consultation}</h2>
          <p class="hint">{s.consultHint}</p>
          <div class="row">
            <SelectField label={s.consultKind} value={d.consultKind} onValue={(consultKind) => up({ consultKind })} options={options(vocab.consultationKind)} />
          </div>
          <TextArea label={s.notes} value={d.notes} onValue={(notes) => up({ notes })} error={err('consultation.notes')} rows={3} maxLength={20000} />
          <TextField label={s.outcome} value={d.outcome} onValue={(outcome) => up({ outcome })} error={err('consultation.outcome')} maxLength={4000} />
        </section>

        {/* 7. The next step (the promise) */}
        <section class={'card intake-next' + (nextStepMessage ? ' intake-next-missing' : '')} aria-labelledby="intake-next">
          <h2 id="intake-next" tabIndex={-1} ref={nextRef}>
            {s.nextStep} <span class="req" aria-hidden="true">*</span>
          </h2>
          <p class="hint">{s.nextStepLead}</p>
          {nextStepMessage && (
            <p class="error-text" role="alert">
              {nextStepMessage}
            </p>
          )}
          <Checkbox label={s.wantFollowUp} checked={d.wantFollowUp} onChecked={(wantFollowUp) => up({ wantFollowUp })} />
          {d.wantFollowUp && (
            <div class="intake-sub">
              <FollowUpFields
                value={d.followUp}
                onChange={(followUp) => up({ followUp })}
                error={caseError}
                prefix="follow_up"
                kinds={['counseling', 'welfare_check', 'home_visit']}
              />
              {clientErrors['follow_up.due'] && <p class="error-text">{clientErrors['follow_up.due']}</p>}
            </div>
          )}
          <Checkbox label={s.wantReferral} checked={d.wantReferral} onChecked={(wantReferral) => up({ wantReferral })} />
          {d.wantReferral && (
            <div class="intake-sub">
              <ReferralFields
                value={d.referral}
                onChange={(referral) => up({ referral })}
                dir={directory}
                categories={chosenCats}
                error={caseError}
                clientErrors={clientErrors}
                prefix="referral"
              />
            </div>
          )}
        </section>

        <div class="intake-submit" tabIndex={-1} ref={problemRef}>
          {clientList.length > 0 && (
            <div class="error-summary" role="alert">
              <p class="error-title">{s.fixErrors}</p>
              <ul>
                {clientList.map(([, m]) => (
                  <li>{m}</li>
                ))}
              </ul>
            </div>
          )}
          {caseError && !nextStepServer && <CaseProblem error={caseError} />}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? s.saving : s.save}
            </button>
            <button
              type="button"
              class="link"
              onClick={() => {
                if (window.confirm(s.resetConfirm)) {
                  clearDraft();
                  setFound(null);
                  setDupes([]);
                  setClientErrors({});
                  setCaseError(null);
                  setResidentError(null);
                }
              }}
            >
              {s.reset}
            </button>
          </div>
        </div>
      </form>
    </Page>
  );
}
