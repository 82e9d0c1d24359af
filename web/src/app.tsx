// The shell: who is signed in, the navigation for their role, and the screens.
import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import { LocationProvider, Router, Route, lazy, useLocation } from 'preact-iso';
import { setUnauthorizedHandler } from './api';
import { locale, strings, vocab, label } from './i18n';
import { me, loadMe, signOut, sessionExpired, secondFactorPending, homeFor, type User } from './session';
import { Loading } from './ui';
import { SignIn } from './screens/signin';
import { PasswordChange } from './screens/password';
import { Account } from './screens/account';
import { Today } from './screens/today';
import { Intake } from './screens/intake';
import { CaseList } from './screens/case_list';
import { CaseDetail } from './screens/case_detail';
import { ReferralInbox, ReferralDetail } from './screens/referrals';
import { Calendar } from './screens/calendar';

// The dashboard (with Chart.js behind it), the admin screens, the
// blind-spot screening and the reports are used by few, so they load on first use and keep the
// main bundle small.
const Dashboard = lazyScreen(() => import('./screens/dashboard').then((m) => m.Dashboard));
const Admin = lazyScreen(() => import('./screens/admin').then((m) => m.Admin));
const Screening = lazyScreen(() => import('./screens/screening').then((m) => m.Screening));
const ScreeningRun = lazyScreen(() => import('./screens/screening').then((m) => m.ScreeningRunPage));
const Reports = lazyScreen(() => import('./screens/reports').then((m) => m.Reports));
const WorkReport = lazyScreen(() => import('./screens/work_report').then((m) => m.WorkReportScreen));

const S = () =>
  strings({
    skip: { ko: '본문 바로가기', en: 'Skip to content' },
    product: { ko: '무엇이든 상담창구', en: 'Ask-Anything Desk' },
    nav: { ko: '주 메뉴', en: 'Main menu' },
    today: { ko: '오늘의 업무', en: 'Today' },
    intake: { ko: '상담 접수', en: 'New case' },
    cases: { ko: '상담 목록', en: 'Cases' },
    referrals: { ko: '연계 요청함', en: 'Referral inbox' },
    calendar: { ko: '일정', en: 'Calendar' },
    screening: { ko: '발굴', en: 'Outreach' },
    dashboard: { ko: '현황판', en: 'Dashboard' },
    reports: { ko: '실적 보고', en: 'Reports' },
    workReport: { ko: '주간 업무 보고', en: 'Weekly report' },
    admin: { ko: '관리', en: 'Admin' },
    account: { ko: '내 설정', en: 'My settings' },
    signOut: { ko: '로그아웃', en: 'Sign out' },
    notFound: { ko: '없는 화면입니다.', en: 'There is no such screen.' },
    loadFailed: {
      ko: '이 화면을 불러오지 못했습니다. 네트워크를 확인하고 페이지를 새로 고침해 주세요.',
      en: 'This screen could not be loaded. Check the network and reload the page.',
    },
    reload: { ko: '새로 고침', en: 'Reload' },
  });

// A screen loaded on first use; if its code cannot be fetched (offline, or a
// newer version replaced it on the server), a page that says so.
function lazyScreen<P>(load: () => Promise<ComponentType<P>>) {
  return lazy(() => load().catch((): ComponentType<P> => LoadFailed));
}

function LoadFailed() {
  const s = S();
  return (
    <div class="page">
      <div class="error-summary" role="alert">
        <p>{s.loadFailed}</p>
        <button type="button" onClick={() => location.reload()}>
          {s.reload}
        </button>
      </div>
    </div>
  );
}

interface NavItem {
  href: string;
  text: string;
  roles: string[];
  // Beyond the role, e.g. only staff with a dong or the whole district.
  when?: (user: User) => boolean;
}

function navItems(): NavItem[] {
  const s = S();
  const staff = ['counselor', 'case_manager', 'supervisor'];
  return [
    { href: '/today', text: s.today, roles: staff },
    { href: '/intake', text: s.intake, roles: ['counselor', 'case_manager'] },
    { href: '/cases', text: s.cases, roles: staff },
    // Outreach lists belong to dongs: dong staff see theirs, district-wide supervisors all.
    { href: '/screening', text: s.screening, roles: staff, when: (u) => u.role === 'supervisor' || !!u.dong_id },
    { href: '/referrals', text: s.referrals, roles: ['agency_officer'] },
    { href: '/calendar', text: s.calendar, roles: staff },
    { href: '/dashboard', text: s.dashboard, roles: ['supervisor', 'counselor', 'case_manager', 'auditor'] },
    { href: '/reports', text: s.reports, roles: ['supervisor', 'counselor', 'case_manager', 'auditor'] },
    // Auditors read the reports only; a week's work report is for the staff themselves.
    { href: '/work-report', text: s.workReport, roles: staff },
    { href: '/admin', text: s.admin, roles: ['admin'] },
  ];
}

function Shell() {
  const s = S();
  const loc = useLocation();
  const user = me.value!;
  const items = navItems().filter((i) => i.roles.includes(user.role) && (!i.when || i.when(user)));
  const current = (href: string) => loc.path === href || loc.path.startsWith(href + '/');
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {s.skip}
      </a>
      <header class="top">
        <a class="brand" href={homeFor(user.role)}>
          CareDesk <span class="brand-sub">{s.product}</span>
        </a>
        <nav aria-label={s.nav}>
          <ul>
            {items.map((i) => (
              <li>
                <a href={i.href} aria-current={current(i.href) ? 'page' : undefined}>
                  {i.text}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <a href="/account" aria-current={current('/account') ? 'page' : undefined}>
            {user.display_name} <span class="muted">({label(vocab.role, user.role)})</span>
          </a>
          <button
            type="button"
            class="link"
            onClick={async () => {
              await signOut();
              loc.route('/signin');
            }}
          >
            {s.signOut}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Router>
          <Route path="/" component={Home} />
          <Route path="/today" component={Today} />
          <Route path="/intake" component={Intake} />
          <Route path="/cases" component={CaseList} />
          <Route path="/cases/:id" component={CaseDetail} />
          <Route path="/referrals" component={ReferralInbox} />
          <Route path="/referrals/:id" component={ReferralDetail} />
          <Route path="/calendar" component={Calendar} />
          <Route path="/screening" component={Screening} />
          <Route path="/screening/:id" component={ScreeningRun} />
          <Route path="/dashboard" component={Dashboard} />
          <Route path="/reports" component={Reports} />
          <Route path="/work-report" component={WorkReport} />
          <Route path="/admin" component={Admin} />
          <Route path="/admin/:section" component={Admin} />
          <Route path="/account" component={Account} />
          <Route path="/signin" component={Home} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </div>
  );
}

function Home() {
  const loc = useLocation();
  useEffect(() => {
    loc.route(homeFor(me.value?.role ?? ''), true);
  }, []);
  return <Loading />;
}

function NotFound() {
  return (
    <div class="page">
      <h1>{S().notFound}</h1>
    </div>
  );
}

// Decides between the sign-in steps and the signed-in shell.
function Gate() {
  const loc = useLocation();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      // Keep the screen's drafts; ask to sign in again and come back here.
      sessionExpired.value = true;
      me.value = null;
    });
    loadMe().catch(() => (me.value = null));
    return () => setUnauthorizedHandler(null);
  }, []);
  // Re-render on language change.
  void locale.value;
  const user = me.value;
  if (user === undefined) return <Loading />;
  if (user === null || secondFactorPending.value) {
    return <SignIn returnTo={loc.path === '/signin' ? '' : loc.url} />;
  }
  if (user.must_change_password) return <PasswordChange forced />;
  return <Shell />;
}

export function App() {
  return (
    <LocationProvider>
      <Gate />
    </LocationProvider>
  );
}
