#include "core/open311_service.hpp"

#include <algorithm>

#include "core/duty.hpp"
#include "core/text.hpp"

namespace caredesk::core {
namespace {

constexpr std::size_t kApiKeyBytes = 24;
constexpr std::size_t kTokenBytes = 12;
constexpr std::size_t kMaxClientNameChars = 100;

Error Forbidden() {
  return Error::Make(ErrorCode::kForbidden, "api_key is missing or not valid.",
                     "api_key가 없거나 올바르지 않습니다.");
}

Error NoSuchRequest() {
  return Error::Make(ErrorCode::kNotFound, "No such service request.", "그런 요청이 없습니다.");
}

}  // namespace

std::optional<DongId> Open311Service::Locate(const std::vector<Dong>& dongs,
                                             const Open311Submission& s) const {
  if (s.point) {
    if (const auto name = DongAt(boundaries_, *s.point)) {
      for (const auto& d : dongs) {
        if (d.name == *name) {
          return d.id;
        }
      }
    }
  }
  return DongInAddress(dongs, s.address_string);
}

Status Open311Service::Record(const std::string& ip, const std::string& action,
                              const std::string& target, bool allowed) {
  auto appended = p_.access_log.Append(
      CallerRecord(p_.clock.Now(), "open311", ip, action, "open311_client", target, allowed));
  if (!appended.ok()) {
    return std::move(appended).error();
  }
  return {};
}

Result<Open311Created> Open311Service::Submit(const std::string& api_key, const FormFields& form,
                                              const std::string& ip) {
  if (api_key.empty()) {
    if (auto s = Record(ip, "open311_rejected", "", false); !s.ok()) {
      return std::move(s).error();
    }
    return Forbidden();
  }
  auto client = p_.requests.FindClientByKeyHash(district_, p_.digester.Sha256Hex(api_key));
  if (!client.ok() && client.error().code != ErrorCode::kNotFound) {
    return std::move(client).error();
  }
  if (!client.ok() || !client->active) {
    if (auto s = Record(ip, "open311_rejected", client.ok() ? std::to_string(client->id) : "",
                        false);
        !s.ok()) {
      return std::move(s).error();
    }
    return Forbidden();
  }
  auto submission = ParseOpen311Request(form);
  if (!submission.ok()) {
    return std::move(submission).error();
  }
  const Open311Submission& s = *submission;
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  const auto dong = Locate(*dongs, s);
  if (!dong) {
    return Error::Make(ErrorCode::kBadRequest,
                       "The location is not in any dong of this district (give lat/long inside "
                       "it, or an address naming the dong).",
                       "위치가 이 구의 어느 동에도 속하지 않습니다. 구 안의 좌표나 동 이름이 "
                       "들어간 주소를 보내 주세요.");
  }
  auto owner = DutySupervisor(p_.users, district_, *dong);
  if (!owner.ok()) {
    return std::move(owner).error();
  }
  auto calendar = p_.cases.Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  const Actor actor = ActorOf(*owner, "open311:" + ip);
  IntakeInput in;
  in.channel = "online";
  in.reporter.kind = "third_party";
  const std::string name = s.first_name + (s.first_name.empty() || s.last_name.empty() ? "" : " ") +
                           s.last_name;
  in.reporter.name = name.empty() ? "Open311 신고자" : name;
  in.reporter.relation = "Open311: " + client->name;
  in.reporter.contact = !s.phone.empty() ? s.phone : s.email;
  in.dong_id = *dong;
  in.primary_category = s.service->category;
  in.summary = Open311Summary(s, client->name);
  in.counselor_id = owner->id;
  FollowUpInput first;
  first.kind = "counseling";
  first.due.date = calendar->AddWorkingDays(KstDate(p_.clock.Now()), 1);
  first.owner_id = owner->id;
  first.note = "Open311 접수(" + s.service->name + "): 1근무일 안에 현장을 확인하거나 담당 부서에 "
               "연계해 주세요.";
  in.follow_up = first;
  auto created = p_.cases.Intake(actor, in);
  if (!created.ok()) {
    return std::move(created).error();
  }
  Open311Record record;
  record.case_id = created->file.c.id;
  record.district_id = district_;
  record.client_id = client->id;
  record.service_code = s.service->code;
  record.token = p_.random.RandomHex(kTokenBytes);
  record.point = s.point;
  record.address = s.address_string;
  record.address_id = s.address_id;
  record.zipcode = s.zipcode;
  record.media_url = s.media_url;
  record.requested_at = created->file.c.opened_at;
  if (auto saved = p_.requests.SaveRequest(record); !saved.ok()) {
    return std::move(saved).error();
  }
  if (auto t = p_.requests.TouchClient(client->id, p_.clock.Now()); !t.ok()) {
    return std::move(t).error();
  }
  if (auto r = Record(ip, "open311_request", std::to_string(client->id), true); !r.ok()) {
    return std::move(r).error();
  }
  return Open311Created{std::to_string(record.case_id), record.token, s.service->notice,
                        s.account_id};
}

Result<Open311Request> Open311Service::View(const Open311Record& record,
                                            const std::vector<Dong>& dongs) {
  auto file = p_.case_records.GetCase(district_, record.case_id);
  if (!file.ok()) {
    return std::move(file).error();
  }
  // Who deals with it: the agency that accepted a referral, else the dong's center.
  std::string agency;
  for (const auto& r : file->referrals) {
    if (r.status == ReferralStatus::kAccepted || r.status == ReferralStatus::kCompleted) {
      if (auto a = p_.directory.GetAgency(district_, r.agency_id); a.ok()) {
        agency = a->name;
      }
    }
  }
  for (const auto& d : dongs) {
    if (agency.empty() && d.id == file->c.dong_id) {
      agency = d.name + " 주민센터";
    }
  }
  return Open311RequestOf(record, *file, agency);
}

Result<Open311Request> Open311Service::Get(CaseId id) {
  auto record = p_.requests.GetRequest(district_, id);
  if (!record.ok()) {
    return record.error().code == ErrorCode::kNotFound ? NoSuchRequest()
                                                       : std::move(record).error();
  }
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  return View(*record, *dongs);
}

Result<std::vector<Open311Request>> Open311Service::List(const Open311Query& query) {
  auto records = p_.requests.ListRequests(district_, query);
  if (!records.ok()) {
    return std::move(records).error();
  }
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  std::vector<Open311Request> out;
  out.reserve(records->size());
  for (const auto& r : *records) {
    auto view = View(r, *dongs);
    if (!view.ok()) {
      return std::move(view).error();
    }
    out.push_back(std::move(*view));
  }
  return out;
}

Result<std::string> Open311Service::RequestIdOfToken(const std::string& token) {
  auto record = p_.requests.FindByToken(district_, token);
  if (!record.ok()) {
    return record.error().code == ErrorCode::kNotFound
               ? Error::Make(ErrorCode::kNotFound, "No such token.", "그런 토큰이 없습니다.")
               : std::move(record).error();
  }
  return std::to_string(record->case_id);
}

Result<NewOpen311Client> Open311Service::CreateClient(const Actor& actor,
                                                      const std::string& name) {
  if (const auto d = Authorize(actor, Action::kManageOpen311Clients); d != Decision::kAllow) {
    return DecisionError(d);
  }
  const std::string trimmed(Trim(name));
  if (trimmed.empty() || !IsValidUtf8(trimmed) || CodePointCount(trimmed) > kMaxClientNameChars) {
    return Error::Validation({{"name", trimmed.empty() ? "required" : "too_long",
                               "Name the app (at most 100 characters).",
                               "앱 이름을 100자 이내로 적어 주세요."}});
  }
  NewOpen311Client out;
  out.api_key = p_.random.RandomHex(kApiKeyBytes);
  Open311Client c;
  c.district_id = district_;
  c.name = trimmed;
  c.key_hash = p_.digester.Sha256Hex(out.api_key);
  c.created_at = p_.clock.Now();
  auto created = p_.requests.CreateClient(c);
  if (!created.ok()) {
    return std::move(created).error();
  }
  out.client = *created;
  auto rec = p_.access_log.Append(AllowedRecord(actor, p_.clock.Now(), "create",
                                                "open311_client", std::to_string(created->id)));
  if (!rec.ok()) {
    return std::move(rec).error();
  }
  return out;
}

Result<std::vector<Open311Client>> Open311Service::ListClients(const Actor& actor) {
  if (const auto d = Authorize(actor, Action::kManageOpen311Clients); d != Decision::kAllow) {
    return DecisionError(d);
  }
  return p_.requests.ListClients(district_);
}

Result<Open311Client> Open311Service::SetClientActive(const Actor& actor, std::int64_t id,
                                                      bool active) {
  if (const auto d = Authorize(actor, Action::kManageOpen311Clients); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto changed = p_.requests.SetClientActive(district_, id, active);
  if (!changed.ok()) {
    return changed;
  }
  auto rec = p_.access_log.Append(AllowedRecord(actor, p_.clock.Now(),
                                                active ? "activate" : "deactivate",
                                                "open311_client", std::to_string(id)));
  if (!rec.ok()) {
    return std::move(rec).error();
  }
  return changed;
}

Result<Open311Client> Open311Service::EnsureClientWithKey(const std::string& name,
                                                          const std::string& api_key) {
  const auto hash = p_.digester.Sha256Hex(api_key);
  auto existing = p_.requests.FindClientByKeyHash(district_, hash);
  if (existing.ok() || existing.error().code != ErrorCode::kNotFound) {
    return existing;
  }
  Open311Client c;
  c.district_id = district_;
  c.name = name;
  c.key_hash = hash;
  c.created_at = p_.clock.Now();
  return p_.requests.CreateClient(c);
}

}  // namespace caredesk::core
