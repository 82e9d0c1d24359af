// Shared building blocks: pages, labelled fields, error summaries, dialogs,
// data loading and drafts that survive errors. Every control has a visible
// label; every error is text next to what caused it.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState, useCallback } from 'preact/hooks';
import { ApiError, type FieldViolation } from './api';
import { locale, strings, tr, type Pair } from './i18n';

const S = () =>
  strings({
    loading: { ko: '불러오는 중…', en: 'Loading…' },
    retry: { ko: '다시 시도', en: 'Try again' },
    required: { ko: '필수', en: 'required' },
    errorTitle: { ko: '처리하지 못했습니다', en: 'This could not be done' },
    requestId: { ko: '문의 번호', en: 'Request id' },
    close: { ko: '닫기', en: 'Close' },
    cancel: { ko: '취소', en: 'Cancel' },
    empty: { ko: '표시할 항목이 없습니다.', en: 'Nothing to show.' },
  });

// A screen: sets the window title and moves focus to the heading when opened,
// so screen-reader users hear where they are after every navigation.
export function Page(props: { title: string; children: ComponentChildren; actions?: ComponentChildren; wide?: boolean }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · CareDesk`;
  }, [props.title]);
  useEffect(() => {
    h1.current?.focus({ preventScroll: false });
  }, []);
  return (
    <div class={props.wide ? 'page page-wide' : 'page'}>
      <div class="page-head">
        <h1 tabIndex={-1} ref={h1}>
          {props.title}
        </h1>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </div>
      {props.children}
    </div>
  );
}

// The server's message for one field (from ApiError details), if any.
export function fieldError(error: unknown, ...names: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  for (const n of names) {
    const v = error.field(n);
    if (v) return locale.value === 'en' ? v.message : v.message_ko || v.message;
  }
  return undefined;
}

interface FieldProps {
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
  class?: string;
}

// A label, the control, a hint and the error, wired together for assistive tech.
export function Field(props: FieldProps) {
  const id = useId();
  const hintId = props.hint ? id + '-hint' : '';
  const errId = props.error ? id + '-err' : '';
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={'field ' + (props.error ? 'field-invalid ' : '') + (props.class ?? '')}>
      {/* The star sits outside the label so the control's name is just the label;
          screen readers announce "required" from the control's attribute. */}
      <div class="label-line">
        <label for={id}>{props.label}</label>
        {props.required && (
          <span class="req" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {props.children({ id, describedBy, invalid: !!props.error })}
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error-text" id={errId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

interface InputProps {
  label: string;
  value: string;
  onValue: (v: string) => void;
  hint?: string;
  error?: string;
  required?: boolean;
  type?: string;
  name?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'tel' | 'text' | 'search' | 'email';
  maxLength?: number;
  placeholder?: string;
  min?: string;
  max?: string;
  readOnly?: boolean;
  list?: string;
  disabled?: boolean;
  autoFocus?: boolean;
}

export function TextField({ label, value, onValue, hint, error, required, ...rest }: InputProps) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          value={value}
          onInput={(e) => onValue((e.target as HTMLInputElement).value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          required={required}
          {...(rest as Record<string, unknown>)}
        />
      )}
    </Field>
  );
}

export function TextArea(props: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  hint?: string;
  error?: string;
  required?: boolean;
  rows?: number;
  name?: string;
  maxLength?: number;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error} required={props.required}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          name={props.name}
          rows={props.rows ?? 4}
          value={props.value}
          maxLength={props.maxLength}
          onInput={(e) => props.onValue((e.target as HTMLTextAreaElement).value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          required={props.required}
        />
      )}
    </Field>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(props: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  options: Option[];
  hint?: string;
  error?: string;
  required?: boolean;
  name?: string;
  placeholder?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error} required={props.required}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={props.name}
          value={props.value}
          onChange={(e) => props.onValue((e.target as HTMLSelectElement).value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          required={props.required}
        >
          {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
          {props.options.map((o) => (
            <option value={o.value}>{o.label}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChecked: (v: boolean) => void; name?: string; hint?: string }) {
  const id = useId();
  return (
    <div class="check">
      <input
        type="checkbox"
        id={id}
        name={props.name}
        checked={props.checked}
        onChange={(e) => props.onChecked((e.target as HTMLInputElement).checked)}
        aria-describedby={props.hint ? id + '-hint' : undefined}
      />
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={id + '-hint'}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

// Radio buttons in a fieldset with a legend.
export function RadioGroup(props: { legend: string; name: string; value: string; onValue: (v: string) => void; options: Option[]; error?: string }) {
  const id = useId();
  return (
    <fieldset class={'radios' + (props.error ? ' field-invalid' : '')} aria-describedby={props.error ? id + '-err' : undefined}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label class="radio">
          <input
            type="radio"
            name={props.name}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onValue(o.value)}
          />{' '}
          {o.label}
        </label>
      ))}
      {props.error && (
        <p class="error-text" id={id + '-err'}>
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

// The server's per-field problems as a list (the ones that say something).
export function DetailList(props: { details: FieldViolation[] }) {
  const details = props.details.filter((d) => d.message || d.message_ko);
  if (details.length === 0) return null;
  return (
    <ul>
      {details.map((d) => (
        <li>{locale.value === 'en' ? d.message : d.message_ko || d.message}</li>
      ))}
    </ul>
  );
}

// The error of the last attempt, in plain words, announced to screen readers.
// Field-level problems are listed too (they also appear beside their fields).
// `message` says something plainer than the server's text (e.g. a stale
// edit); `details` renders the server's details instead of the plain list
// (e.g. the statuses a refused transition allows).
export function ErrorSummary(props: {
  error: unknown;
  title?: string;
  message?: string;
  details?: (details: FieldViolation[]) => ComponentChildren;
  children?: ComponentChildren;
}) {
  const s = S();
  if (!props.error) return null;
  const e = props.error;
  const message = props.message ?? (e instanceof ApiError ? e.text(locale.value) : e instanceof Error ? e.message : String(e));
  const details = e instanceof ApiError ? e.details : [];
  return (
    <div class="error-summary" role="alert">
      <p class="error-title">{props.title ?? s.errorTitle}</p>
      <p>{message}</p>
      {props.details ? props.details(details) : <DetailList details={details} />}
      {props.children}
      {e instanceof ApiError && e.requestId && (
        <p class="muted small">
          {s.requestId}: {e.requestId}
        </p>
      )}
    </div>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {S().loading}
    </p>
  );
}

export function Empty(props: { children?: ComponentChildren }) {
  return <p class="empty">{props.children ?? S().empty}</p>;
}

// Loads data when `deps` change; `reload()` loads again.
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctrl = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    load(ctrl.signal).then(
      (data) => !ctrl.signal.aborted && setState({ data, loading: false }),
      (error) => !ctrl.signal.aborted && (error as Error)?.name !== 'AbortError' && setState({ error, loading: false }),
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

// One page of a list read with a cursor (GET /cases, /access-records …).
export interface CursorPage<T> {
  items: T[];
  next_before_id?: number | null;
}

// A list read page by page ("더 보기"): the first page whenever `key` changes
// (nothing while it is null), later pages appended by more() for that key
// only. more() answers the index of the first new item (to move the focus
// there), or null when nothing came.
export function usePages<T>(key: string | null, fetchPage: (before: number | null, signal?: AbortSignal) => Promise<CursorPage<T>>) {
  const first = useAsync((signal) => (key === null ? Promise.resolve(null) : fetchPage(null, signal)), [key]);
  const [extra, setExtra] = useState<{ key: string; items: T[]; next: number | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [moreBusy, setMoreBusy] = useState(false);
  const mine = extra && extra.key === key ? extra : null;
  const items = first.data ? [...first.data.items, ...(mine?.items ?? [])] : null;
  const next = mine ? mine.next : (first.data?.next_before_id ?? null);
  const more = async (): Promise<number | null> => {
    if (!next || key === null) return null;
    setMoreBusy(true);
    setMoreError(null);
    const firstNew = items?.length ?? 0;
    try {
      const page = await fetchPage(next);
      setExtra({ key, items: [...(mine?.items ?? []), ...page.items], next: page.next_before_id ?? null });
      return firstNew;
    } catch (e) {
      setMoreError(e);
      return null;
    } finally {
      setMoreBusy(false);
    }
  };
  return {
    data: first.data,
    items,
    next,
    loading: key !== null && first.loading,
    error: first.error,
    more,
    moreBusy,
    moreError,
  };
}

// State kept in this tab's sessionStorage under `key`, so that what a
// counselor typed survives an error, a reload or a sign-in after the session
// expired. Cleared with clearDraft(key) once saved, and at sign-out.
export function useDraft<T>(key: string, initial: T): [T, (v: T | ((old: T) => T)) => void, () => void] {
  const storageKey = 'caredesk.draft.' + key;
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = sessionStorage.getItem(storageKey);
      return raw ? { ...initial, ...JSON.parse(raw) } : initial;
    } catch {
      return initial;
    }
  });
  const set = useCallback(
    (v: T | ((old: T) => T)) => {
      setValue((old) => {
        const next = typeof v === 'function' ? (v as (o: T) => T)(old) : v;
        try {
          sessionStorage.setItem(storageKey, JSON.stringify(next));
        } catch {
          // Storage full or disabled: keep the value in memory only.
        }
        return next;
      });
    },
    [storageKey],
  );
  const clear = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    setValue(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storageKey]);
  return [value, set, clear];
}

// A modal dialog (native <dialog>: focus is trapped and Escape closes it).
export function Dialog(props: { open: boolean; title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={props.onClose} onCancel={props.onClose}>
      {props.open && (
        <div class="dialog-body">
          <h2 id={titleId}>{props.title}</h2>
          {props.children}
        </div>
      )}
    </dialog>
  );
}

// A form's buttons: the submit (disabled while it runs, and saying so when
// given `busyText`) and the way out without sending.
export function FormButtons(props: {
  submit: string;
  busy?: boolean;
  busyText?: string;
  danger?: boolean;
  disabled?: boolean;
  cancel?: string;
  onCancel: () => void;
}) {
  return (
    <div class="actions">
      <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={props.busy || props.disabled}>
        {props.busy && props.busyText ? props.busyText : props.submit}
      </button>
      <button type="button" onClick={props.onCancel}>
        {props.cancel ?? S().cancel}
      </button>
    </div>
  );
}

// A short message announced politely (saved, sent …).
export function Notice(props: { children: ComponentChildren; kind?: 'ok' | 'warn' }) {
  return (
    <div class={'notice notice-' + (props.kind ?? 'ok')} role="status">
      {props.children}
    </div>
  );
}

export function Badge(props: { kind: string; children: ComponentChildren }) {
  return <span class={'badge badge-' + props.kind}>{props.children}</span>;
}

export function t(p: Pair) {
  return tr(p);
}
