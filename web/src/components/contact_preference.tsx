// 진행 안내 문자: how the resident wants to hear about their cases (SMS, KakaoTalk
// AlimTalk, or not at all). A change applies to messages not sent yet: the
// server reads the preference when it sends, not when it queues.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { strings } from '../i18n';
import { ErrorSummary, Notice, SelectField, fieldError } from '../ui';

const S = () =>
  strings({
    label: { ko: '진행 안내 문자', en: 'Progress messages' },
    sms: { ko: '문자로 받기', en: 'By SMS' },
    alimtalk: { ko: '카카오 알림톡으로 받기', en: 'By KakaoTalk AlimTalk' },
    none: { ko: '받지 않기', en: 'None (opted out)' },
    hint: {
      ko: '주민이 원하지 않으면 "받지 않기"로 바꿔 주세요. 아직 보내지 않은 안내에도 바로 적용됩니다.',
      en: 'Choose "None" when the resident does not want messages; it applies to those not sent yet too.',
    },
    saved: { ko: '바꿨습니다.', en: 'Changed.' },
  });

export function ContactPreference(props: { residentId: number; value: string }) {
  const s = S();
  const [value, setValue] = useState(props.value || 'sms');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function change(next: string) {
    const before = value;
    setValue(next);
    setError(null);
    setSaved(false);
    try {
      await api.patch(`/residents/${props.residentId}`, { contact_by: next });
      setSaved(true);
    } catch (e) {
      setValue(before);
      setError(e);
    }
  }

  return (
    <div class="contact-preference">
      <SelectField
        label={s.label}
        name="contact_by"
        value={value}
        onValue={change}
        options={[
          { value: 'sms', label: s.sms },
          { value: 'alimtalk', label: s.alimtalk },
          { value: 'none', label: s.none },
        ]}
        hint={s.hint}
        error={fieldError(error, 'contact_by')}
      />
      <ErrorSummary error={error} />
      {saved && <Notice>{s.saved}</Notice>}
    </div>
  );
}
