#include "gateway/open311.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gateway/open311_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::gateway {
namespace {

namespace cv1 = ::prongsai::complaint::v1;
using open311::Element;
using open311::Format;
using C = cv1::Complaint;

constexpr char kComplaintService[] = "/prongsai.complaint.v1.ComplaintService/";
constexpr char kGetOrganization[] =
    "/prongsai.plan.v1.PlanService/GetOrganization";
constexpr char kSpecification[] = "http://wiki.open311.org/GeoReport_v2";

// The spec's limits on GET requests: "a span of 90 days or first 1000
// requests returned, whichever is smallest".
constexpr absl::Duration kMaxSpan = absl::Hours(24 * 90);
constexpr size_t kMaxResults = 1000;

// The complaint's fields GeoReport has no argument for, offered as
// attributes of every service (GET services/{code}); all optional.
struct Attribute {
  const char* code;
  const char* datatype;
  const char* description;
};
constexpr Attribute kAttributes[] = {
    {"subject", "string",
     "เรื่อง: หัวข้อสั้น ๆ (ไม่เกิน 300 ตัวอักษร) / Subject, at most 300 "
     "characters; the service's name when not given"},
    {"requested_action", "text",
     "สิ่งที่ต้องการให้ดำเนินการ / What you ask the organization to do"},
    {"village", "string", "หมู่บ้าน / หมู่ที่ (Village)"},
    {"subdistrict", "string", "ตำบล (Subdistrict)"},
    {"incident_date", "datetime",
     "วันที่เกิดเหตุ / When it happened (ISO 8601 with a time zone)"},
};

// The media URL a filer gave: Prongsai keeps attachments only with their
// hash, which a URL does not give, so the URL is kept as the description's
// last line under this label and read back from there.
constexpr absl::string_view kMediaLine = "\n\nmedia_url: ";

// Bangkok has no daylight saving time: every time is shown as +07:00.
const absl::TimeZone& Bangkok() {
  static const absl::TimeZone* zone =
      new absl::TimeZone(absl::FixedTimeZone(7 * 60 * 60));
  return *zone;
}

std::string W3cTime(const google::protobuf::Timestamp& t) {
  const absl::Time time =
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", time, Bangkok());
}

// The spec's datetimes: the w3 note's subset of ISO 8601, with the zone
// required ("2010-01-01T00:00:00Z", "...T07:00:00+07:00").
std::optional<absl::Time> ParseW3cTime(absl::string_view text) {
  absl::Time time;
  std::string error;
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M%Ez"}) {
    if (absl::ParseTime(format, text, &time, &error)) return time;
  }
  return std::nullopt;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp t;
  const int64_t seconds = absl::ToUnixSeconds(time);
  t.set_seconds(seconds);
  t.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return t;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// Organization codes as common.proto defines them; category and complaint
// ids as the complaint service makes them. Checked here so that nothing
// else ever lands in a resource name.
bool IsCode(absl::string_view text, size_t max, bool lower_only) {
  if (text.empty() || text.size() > max) return false;
  for (char c : text) {
    const bool ok =
        lower_only
            ? (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')
            : (absl::ascii_isalnum(c) || c == '-' || c == '_');
    if (!ok) return false;
  }
  return true;
}

std::string LastSegment(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

bool IsOpen(C::State state) {
  switch (state) {
    case C::RECEIVED:
    case C::ACKNOWLEDGED:
    case C::ASSIGNED:
    case C::IN_PROGRESS:
      return true;
    default:
      return false;
  }
}

std::vector<C::State> StatesOf(bool open) {
  std::vector<C::State> states;
  for (int i = C::State_MIN; i <= C::State_MAX; ++i) {
    if (!C::State_IsValid(i) || i == C::STATE_UNSPECIFIED) continue;
    const auto state = static_cast<C::State>(i);
    if (IsOpen(state) == open) states.push_back(state);
  }
  return states;
}

std::string StatusNotes(const C& complaint) {
  std::string notes = absl::AsciiStrToLower(C::State_Name(complaint.state()));
  if (complaint.state() == C::REJECTED &&
      complaint.rejection_reason() != cv1::REJECTION_REASON_UNSPECIFIED) {
    absl::StrAppend(&notes, ": ",
                    absl::AsciiStrToLower(cv1::RejectionReason_Name(
                        complaint.rejection_reason())));
  }
  if (complaint.overdue()) absl::StrAppend(&notes, " (overdue)");
  return notes;
}

// ------------------------------------------------------------- answers

struct Problem {
  int http_status;
  std::string description;
};

HttpResponse Answer(Format format, const Element& document) {
  HttpResponse response;
  response.status = 200;
  response.content_type = open311::ContentType(format);
  response.body = open311::Render(document, format);
  return response;
}

HttpResponse ErrorAnswer(Format format, const Problem& problem) {
  Element errors = Element::List("errors");
  Element error = Element::Record("error");
  error.Add(Element::Literal("code", absl::StrCat(problem.http_status)));
  error.Add(Element::Text("description", problem.description));
  errors.Add(std::move(error));
  HttpResponse response = Answer(format, errors);
  response.status = problem.http_status;
  return response;
}

// The complaint service's field paths in GeoReport's names, so that an
// error names what the client sent.
std::string InOpen311Terms(absl::string_view message) {
  static constexpr std::pair<absl::string_view, absl::string_view> kNames[] = {
      {"complaint.description", "description"},
      {"complaint.subject", "attribute[subject]"},
      {"complaint.requested_action", "attribute[requested_action]"},
      {"complaint.place.village", "attribute[village]"},
      {"complaint.place.subdistrict", "attribute[subdistrict]"},
      {"complaint.place.description", "address_string"},
      {"complaint.place.latitude", "lat"},
      {"complaint.place.longitude", "long"},
      {"complaint.place", "lat/long"},
      {"complaint.incident_time", "attribute[incident_date]"},
      {"complaint.complainant.name", "first_name/last_name"},
      {"complaint.complainant.contact", "email/phone"},
      {"complaint.category", "service_code"},
      {"parent", "jurisdiction_id"},
  };
  for (const auto& [path, name] : kNames) {
    if (absl::StartsWith(message, path) && message.size() > path.size() &&
        (message[path.size()] == ':' || message[path.size()] == '.' ||
         message[path.size()] == '[')) {
      const size_t colon = message.find(':');
      return absl::StrCat(
          name, colon == absl::string_view::npos ? "" : message.substr(colon));
    }
  }
  return std::string(message);
}

// A backend error as GeoReport's. `callers_key`: the call carried the
// caller's key (filing), so a refused key is theirs (403); on lookups it is
// the gateway's own and the caller can do nothing about it (503).
Problem FromGrpc(const grpc::Status& status, bool callers_key) {
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return {400, InOpen311Terms(status.error_message())};
    case grpc::StatusCode::NOT_FOUND:
      return {404, "jurisdiction_id: no such organization"};
    case grpc::StatusCode::UNAUTHENTICATED:
      return callers_key ? Problem{403, "api_key: not a valid key"}
                         : Problem{503, "lookups are unavailable"};
    case grpc::StatusCode::PERMISSION_DENIED:
      return callers_key ? Problem{403, "api_key: this key may not do that"}
                         : Problem{503, "lookups are unavailable"};
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return {429, "too many requests: try again later"};
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
      return {503, "the service is unavailable: try again later"};
    default:
      return {500, "the request could not be completed"};
  }
}

// ------------------------------------------------------------- arguments

// The arguments of one call: the query, and for POST the form body.
class Arguments {
 public:
  explicit Arguments(std::vector<std::pair<std::string, std::string>> pairs)
      : pairs_(std::move(pairs)) {}

  // The one value of `name`, "" when absent ("Optional" arguments: an empty
  // one is the same as none). A name given twice is a Problem.
  std::optional<Problem> One(absl::string_view name, std::string* out) const {
    out->clear();
    int seen = 0;
    for (const auto& [key, value] : pairs_) {
      if (key != name) continue;
      if (++seen > 1) {
        return Problem{400, absl::StrCat(name, ": given more than once")};
      }
      *out = std::string(absl::StripAsciiWhitespace(value));
    }
    return std::nullopt;
  }

  // Comma-separated values, also over repeats ("a,b" or a=..&a=..).
  std::vector<std::string> List(absl::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : pairs_) {
      if (key != name) continue;
      for (absl::string_view piece : absl::StrSplit(value, ',')) {
        piece = absl::StripAsciiWhitespace(piece);
        if (!piece.empty()) values.emplace_back(piece);
      }
    }
    return values;
  }

  const std::vector<std::pair<std::string, std::string>>& pairs() const {
    return pairs_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// ------------------------------------------------------------- the calls

// The arguments of POST requests, as given (trimmed).
struct Filing {
  std::string authorization;  // the caller's, for the complaint service
  std::string service_code, lat, lon, address, address_id, email, first_name,
      last_name, phone, description, media_url;
};

// A search's filters (GET requests without service_request_id).
struct Search {
  std::set<std::string> codes;   // service_code; empty: every service
  std::vector<C::State> states;  // empty: every state
  absl::Time start, end;
};

// One reply, as a request_update, with its time for sorting.
struct Update {
  absl::Time time;
  Element element;
};

class Exchange {
 public:
  Exchange(const Backends& backends, const Open311Options& options,
           const HttpRequest& request, Format format, Arguments arguments)
      : backends_(backends),
        options_(options),
        request_(request),
        format_(format),
        arguments_(std::move(arguments)) {}

  HttpResponse Discovery() const;
  HttpResponse Services();
  HttpResponse ServiceDefinition(absl::string_view code);
  HttpResponse PostRequest();
  HttpResponse GetRequest(absl::string_view id);
  HttpResponse SearchRequests();
  HttpResponse Token() const;
  HttpResponse Updates();

 private:
  HttpResponse Error(const Problem& problem) const {
    return ErrorAnswer(format_, problem);
  }

  absl::Time Now() const { return options_.now ? options_.now() : absl::Now(); }

  CallMetadata Metadata(std::string authorization) const {
    CallMetadata metadata;
    metadata.authorization = std::move(authorization);
    metadata.request_id = request_.Header("x-request-id");
    metadata.client_address = request_.client_address;
    metadata.timeout = options_.call_timeout;
    return metadata;
  }
  CallMetadata LookupMetadata() const {
    return Metadata(absl::StrCat("Bearer ", options_.lookup_api_key));
  }

  grpc::Status CallComplaints(absl::string_view method,
                              const google::protobuf::Message& request,
                              google::protobuf::Message* response,
                              const CallMetadata& metadata) const {
    return backends_.Call(absl::StrCat(kComplaintService, method), request,
                          response, metadata);
  }

  // Reads and checks jurisdiction_id; with a lookup key, also that the
  // organization is registered.
  std::optional<Problem> Jurisdiction();
  std::optional<Problem> NeedLookups() const {
    if (options_.lookup_api_key.empty()) {
      return Problem{503, "service request lookups are not enabled here"};
    }
    return std::nullopt;
  }
  // The organization's categories by id, read once.
  std::optional<Problem> LoadCategories();
  // The search window (start_date, end_date) with the spec's defaults.
  std::optional<Problem> Window(absl::Time* start, absl::Time* end) const;
  Element RequestRecord(const C& complaint) const;

  // Filing (POST requests): the caller's key, the arguments, the complaint
  // they make, and the call.
  std::optional<Problem> CallerAuthorization(std::string* authorization) const;
  std::optional<Problem> ReadFiling(Filing* filing) const;
  // The attribute[...] arguments into the complaint (the subject apart).
  std::optional<Problem> ApplyAttributes(C* complaint,
                                         std::string* subject) const;
  // A service's name, or a 404 Problem when the organization has no such.
  std::optional<Problem> ServiceName(const std::string& service_code,
                                     std::string* name);
  std::optional<Problem> ComplaintOf(const Filing& filing, C* complaint);
  std::optional<Problem> Create(C complaint, const std::string& authorization,
                                C* created) const;

  // Searching (GET requests): by id, or by the filters and window.
  std::optional<Problem> FindByIds(const std::vector<std::string>& ids,
                                   std::vector<C>* found) const;
  std::optional<Problem> ReadSearch(Search* search) const;
  std::optional<Problem> FindBySearch(std::vector<C>* found) const;

  // The complaint's public staff replies in [start, end].
  std::optional<Problem> AppendUpdates(const C& complaint, absl::Time start,
                                       absl::Time end,
                                       std::vector<Update>* updates) const;
  // Every general complaint received in [.., end], oldest first, for which
  // `keep` says yes, stopping at `limit`.
  std::optional<Problem> ListGeneral(const std::vector<C::State>& states,
                                     absl::Time end, size_t limit,
                                     const std::function<bool(const C&)>& keep,
                                     std::vector<C>* out) const;

  const Backends& backends_;
  const Open311Options& options_;
  const HttpRequest& request_;
  Format format_;
  Arguments arguments_;
  std::string organization_;  // the code, once Jurisdiction() passed
  std::string organization_name_;
  std::map<std::string, std::string> categories_;  // id -> display name
  bool categories_loaded_ = false;
};

std::optional<Problem> Exchange::Jurisdiction() {
  std::string code;
  if (auto problem = arguments_.One("jurisdiction_id", &code)) return problem;
  if (code.empty()) {
    return Problem{400, "jurisdiction_id: required (the organization's code)"};
  }
  if (!IsCode(code, 32, false)) {
    return Problem{400, "jurisdiction_id: not an organization code"};
  }
  organization_ = code;
  if (options_.lookup_api_key.empty()) return std::nullopt;
  plan::v1::GetOrganizationRequest get;
  get.set_name(absl::StrCat("organizations/", code));
  plan::v1::Organization organization;
  grpc::Status status =
      backends_.Call(kGetOrganization, get, &organization, LookupMetadata());
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      return Problem{404, "jurisdiction_id: no such organization"};
    }
    return FromGrpc(status, false);
  }
  organization_name_ = organization.organization().name();
  return std::nullopt;
}

std::optional<Problem> Exchange::LoadCategories() {
  if (categories_loaded_) return std::nullopt;
  cv1::ListCategoriesRequest list;
  list.set_parent(absl::StrCat("organizations/", organization_));
  cv1::ListCategoriesResponse categories;
  // ListCategories is public: the caller's own standing does not matter.
  grpc::Status status =
      CallComplaints("ListCategories", list, &categories, Metadata(""));
  if (!status.ok()) return FromGrpc(status, false);
  for (const cv1::Category& category : categories.categories()) {
    categories_[LastSegment(category.name())] = category.display_name();
  }
  categories_loaded_ = true;
  return std::nullopt;
}

HttpResponse Exchange::Discovery() const {
  Element discovery = Element::Record("discovery");
  // The document changes only with the gateway's release.
  discovery.Add(Element::Text("changeset", "2026-12-01T00:00:00+07:00"));
  discovery.Add(Element::Text("contact", options_.contact));
  discovery.Add(Element::Text("key_service", options_.key_service));
  Element endpoints = Element::List("endpoints");
  Element endpoint = Element::Record("endpoint");
  endpoint.Add(Element::Text("specification", kSpecification));
  endpoint.Add(Element::Text("url", options_.endpoint_url));
  endpoint.Add(Element::Text("changeset", "2026-12-01T00:00:00+07:00"));
  endpoint.Add(Element::Text("type", "production"));
  Element formats = Element::List("formats");
  formats.Add(Element::Text("format", "text/xml"));
  formats.Add(Element::Text("format", "application/json"));
  endpoint.Add(std::move(formats));
  endpoints.Add(std::move(endpoint));
  discovery.Add(std::move(endpoints));
  return Answer(format_, discovery);
}

HttpResponse Exchange::Services() {
  if (auto problem = Jurisdiction()) return Error(*problem);
  if (auto problem = LoadCategories()) return Error(*problem);
  Element services = Element::List("services");
  for (const auto& [code, name] : categories_) {
    Element service = Element::Record("service");
    service.Add(Element::Text("service_code", code));
    service.Add(Element::Text("service_name", name));
    service.Add(Element::Text("description", name));
    // Every service has the optional attributes of kAttributes.
    service.Add(Element::Bool("metadata", true));
    service.Add(Element::Text("type", "realtime"));
    service.Add(Element::Null("keywords"));
    // Open311 files general complaints only.
    service.Add(Element::Text("group", "เรื่องร้องเรียนทั่วไป"));
    services.Add(std::move(service));
  }
  return Answer(format_, services);
}

HttpResponse Exchange::ServiceDefinition(absl::string_view code) {
  if (auto problem = Jurisdiction()) return Error(*problem);
  if (auto problem = LoadCategories()) return Error(*problem);
  if (categories_.count(std::string(code)) == 0) {
    return Error({404, "service_code: no such service"});
  }
  Element definition = Element::Record("service_definition");
  definition.Add(Element::Text("service_code", code));
  Element attributes = Element::List("attributes");
  int order = 0;
  for (const Attribute& attribute : kAttributes) {
    Element element = Element::Record("attribute");
    element.Add(Element::Bool("variable", true));
    element.Add(Element::Text("code", attribute.code));
    element.Add(Element::Text("datatype", attribute.datatype));
    element.Add(Element::Bool("required", false));
    element.Add(Element::Null("datatype_description"));
    element.Add(Element::Literal("order", absl::StrCat(++order)));
    element.Add(Element::Text("description", attribute.description));
    element.Add(Element::List("values"));
    attributes.Add(std::move(element));
  }
  definition.Add(std::move(attributes));
  return Answer(format_, definition);
}

std::optional<Problem> Exchange::CallerAuthorization(
    std::string* authorization) const {
  // The caller's key: an Authorization header, or the spec's api_key.
  std::string api_key;
  if (auto problem = arguments_.One("api_key", &api_key)) return problem;
  *authorization = request_.Header("authorization");
  if (api_key.empty()) return std::nullopt;
  if (!authorization->empty()) {
    return Problem{400, "api_key: give the key once, not also in a header"};
  }
  *authorization = absl::StrCat("Bearer ", api_key);
  return std::nullopt;
}

std::optional<Problem> Exchange::ReadFiling(Filing* filing) const {
  if (auto problem = CallerAuthorization(&filing->authorization)) {
    return problem;
  }
  for (auto [name, out] :
       std::initializer_list<std::pair<const char*, std::string*>>{
           {"service_code", &filing->service_code},
           {"lat", &filing->lat},
           {"long", &filing->lon},
           {"address_string", &filing->address},
           {"address_id", &filing->address_id},
           {"email", &filing->email},
           {"first_name", &filing->first_name},
           {"last_name", &filing->last_name},
           {"phone", &filing->phone},
           {"description", &filing->description},
           {"media_url", &filing->media_url}}) {
    if (auto problem = arguments_.One(name, out)) return problem;
  }
  if (filing->service_code.empty()) {
    return Problem{400, "service_code: required"};
  }
  if (!IsCode(filing->service_code, 40, true)) {
    return Problem{404, "service_code: no such service"};
  }
  if (filing->description.empty()) {
    return Problem{400, "description: required"};
  }
  return std::nullopt;
}

// A WGS84 coordinate in [-limit, limit].
bool ParseCoordinate(absl::string_view text, double limit, double* out) {
  return absl::SimpleAtod(text, out) && std::isfinite(*out) && *out >= -limit &&
         *out <= limit;
}

std::optional<Problem> SetPlace(const Filing& filing, cv1::Place* place) {
  if (filing.lat.empty() != filing.lon.empty()) {
    return Problem{400, "lat/long: give both or neither"};
  }
  if (!filing.lat.empty()) {
    double latitude = 0, longitude = 0;
    if (!ParseCoordinate(filing.lat, 90, &latitude)) {
      return Problem{400, "lat: not a WGS84 latitude"};
    }
    if (!ParseCoordinate(filing.lon, 180, &longitude)) {
      return Problem{400, "long: not a WGS84 longitude"};
    }
    place->set_latitude(latitude);
    place->set_longitude(longitude);
  }
  if (filing.lat.empty() && filing.address.empty() &&
      filing.address_id.empty()) {
    return Problem{400,
                   "location: give lat and long, address_string or address_id"};
  }
  // Prongsai has no address registry: an address id is kept as text.
  std::string address = filing.address;
  if (!filing.address_id.empty()) {
    address = address.empty() ? absl::StrCat("address_id ", filing.address_id)
                              : absl::StrCat(address, " (address_id ",
                                             filing.address_id, ")");
  }
  place->set_description(address);
  return std::nullopt;
}

// The attribute code an argument's name ("attribute[village]") gives, in
// *code; *is_attribute false for any other argument (left alone).
std::optional<Problem> AttributeOf(absl::string_view key, bool* is_attribute,
                                   absl::string_view* code) {
  absl::string_view name = key;
  *is_attribute = absl::ConsumePrefix(&name, "attribute[");
  if (!*is_attribute) return std::nullopt;
  const bool multiple = absl::ConsumeSuffix(&name, "][]");
  if (!multiple && !absl::ConsumeSuffix(&name, "]")) {
    return Problem{400, absl::StrCat(key, ": not an attribute argument")};
  }
  const bool known = std::any_of(
      std::begin(kAttributes), std::end(kAttributes),
      [&](const Attribute& attribute) { return name == attribute.code; });
  if (!known) {
    return Problem{400, absl::StrCat("attribute[", name,
                                     "]: not an attribute of this service")};
  }
  if (multiple) {
    return Problem{400,
                   absl::StrCat("attribute[", name, "]: takes a single value")};
  }
  *code = name;
  return std::nullopt;
}

// One attribute's (non-empty) value into the complaint, or the subject.
std::optional<Problem> ApplyAttribute(absl::string_view code,
                                      const std::string& text, C* complaint,
                                      std::string* subject) {
  cv1::Place& place = *complaint->mutable_place();
  if (code == "subject") {
    *subject = text;
  } else if (code == "requested_action") {
    complaint->set_requested_action(text);
  } else if (code == "village") {
    place.set_village(text);
  } else if (code == "subdistrict") {
    place.set_subdistrict(text);
  } else if (code == "incident_date") {
    std::optional<absl::Time> when = ParseW3cTime(text);
    if (!when.has_value()) {
      return Problem{400,
                     "attribute[incident_date]: not an ISO 8601 datetime "
                     "with a time zone"};
    }
    *complaint->mutable_incident_time() = ToTimestamp(*when);
  }
  return std::nullopt;
}

std::optional<Problem> Exchange::ApplyAttributes(C* complaint,
                                                 std::string* subject) const {
  for (const auto& pair : arguments_.pairs()) {
    const std::string& key = pair.first;
    bool is_attribute = false;
    absl::string_view code;
    if (auto problem = AttributeOf(key, &is_attribute, &code)) return problem;
    if (!is_attribute) continue;
    std::string text;
    if (auto problem = arguments_.One(key, &text)) return problem;
    if (text.empty()) continue;
    if (auto problem = ApplyAttribute(code, text, complaint, subject)) {
      return problem;
    }
  }
  return std::nullopt;
}

// The media URL kept as the description's last line (see kMediaLine).
std::optional<Problem> AppendMediaUrl(const std::string& media_url,
                                      std::string* description) {
  if (media_url.empty()) return std::nullopt;
  const bool web = absl::StartsWith(media_url, "https://") ||
                   absl::StartsWith(media_url, "http://");
  const bool has_space_or_control =
      std::any_of(media_url.begin(), media_url.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= ' '; });
  if (!web || media_url.size() > 1000 || has_space_or_control) {
    return Problem{400, "media_url: not an http(s) URL"};
  }
  absl::StrAppend(description, kMediaLine, media_url);
  return std::nullopt;
}

std::optional<Problem> Exchange::ServiceName(const std::string& service_code,
                                             std::string* name) {
  if (auto problem = LoadCategories()) return problem;
  auto it = categories_.find(service_code);
  if (it == categories_.end()) {
    return Problem{404, "service_code: no such service"};
  }
  *name = it->second;
  return std::nullopt;
}

// Who filed: sealed by the service, never returned by any call.
void SetComplainant(const Filing& filing, C* complaint) {
  cv1::Person& complainant = *complaint->mutable_complainant();
  complainant.set_name(absl::StrJoin({absl::string_view(filing.first_name),
                                      absl::string_view(filing.last_name)},
                                     " "));
  complainant.set_name(
      std::string(absl::StripAsciiWhitespace(complainant.name())));
  std::vector<std::string> contact;
  if (!filing.email.empty()) contact.push_back(filing.email);
  if (!filing.phone.empty()) contact.push_back(filing.phone);
  complainant.set_contact(absl::StrJoin(contact, ", "));
  if (complainant.name().empty() && complainant.contact().empty()) {
    complaint->clear_complainant();
  }
  // device_id and account_id are not kept: Prongsai has no accounts, and a
  // device id would only track the filer.
}

std::optional<Problem> Exchange::ComplaintOf(const Filing& filing,
                                             C* complaint) {
  complaint->set_kind(C::GENERAL);
  complaint->set_channel(C::WEBSITE);
  complaint->set_category(absl::StrCat("organizations/", organization_,
                                       "/categories/", filing.service_code));
  if (auto problem = SetPlace(filing, complaint->mutable_place())) {
    return problem;
  }
  std::string subject;
  if (auto problem = ApplyAttributes(complaint, &subject)) return problem;
  std::string description = filing.description;
  if (auto problem = AppendMediaUrl(filing.media_url, &description)) {
    return problem;
  }
  complaint->set_description(description);
  // The subject a GeoReport client cannot give: the service's name.
  if (subject.empty()) {
    if (auto problem = ServiceName(filing.service_code, &subject)) {
      return problem;
    }
  }
  complaint->set_subject(subject);
  SetComplainant(filing, complaint);
  return std::nullopt;
}

std::optional<Problem> Exchange::Create(C complaint,
                                        const std::string& authorization,
                                        C* created) const {
  cv1::CreateComplaintRequest create;
  create.set_parent(absl::StrCat("organizations/", organization_));
  *create.mutable_complaint() = std::move(complaint);
  grpc::Status status = CallComplaints("CreateComplaint", create, created,
                                       Metadata(authorization));
  if (status.ok()) return std::nullopt;
  // An unknown category is the spec's "service_code not found".
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
      absl::StartsWith(status.error_message(), "complaint.category")) {
    return Problem{404, "service_code: no such service"};
  }
  return FromGrpc(status, true);
}

// The answer names the request by its public id, so that the client may
// look it up (GET requests/{id}) and show it. The tracking code, the
// filer's secret for following the case privately (TrackComplaint), is
// given here once and nowhere else: not as the spec's `token`, which
// clients put in URLs (tokens/{token}), where secrets must never go.
HttpResponse FiledAnswer(Format format, const C& created) {
  Element requests = Element::List("service_requests");
  Element record = Element::Record("request");
  record.Add(Element::Text("service_request_id", LastSegment(created.name())));
  record.Add(Element::Text(
      "service_notice",
      absl::StrCat("เก็บรหัสติดตามเรื่อง (tracking_code) ไว้: แสดงครั้งเดียว / "
                   "Keep the tracking_code to follow the case: it is shown "
                   "only now. Due by ",
                   W3cTime(created.due_time()), ".")));
  record.Add(Element::Text("tracking_code", created.tracking_code()));
  record.Add(Element::Text("expected_datetime", W3cTime(created.due_time())));
  requests.Add(std::move(record));
  HttpResponse response = Answer(format, requests);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse Exchange::PostRequest() {
  if (auto problem = Jurisdiction()) return Error(*problem);
  Filing filing;
  if (auto problem = ReadFiling(&filing)) return Error(*problem);
  C complaint;
  if (auto problem = ComplaintOf(filing, &complaint)) return Error(*problem);
  C created;
  if (auto problem =
          Create(std::move(complaint), filing.authorization, &created)) {
    return Error(*problem);
  }
  return FiledAnswer(format_, created);
}

Element Exchange::RequestRecord(const C& complaint) const {
  Element record = Element::Record("request");
  record.Add(
      Element::Text("service_request_id", LastSegment(complaint.name())));
  record.Add(
      Element::Text("status", IsOpen(complaint.state()) ? "open" : "closed"));
  record.Add(Element::Text("status_notes", StatusNotes(complaint)));
  const std::string code =
      complaint.category().empty() ? "" : LastSegment(complaint.category());
  auto category = categories_.find(code);
  if (category != categories_.end()) {
    record.Add(Element::Text("service_name", category->second));
  } else {
    record.Add(Element::Null("service_name"));
  }
  if (code.empty()) {
    record.Add(Element::Null("service_code"));
  } else {
    record.Add(Element::Text("service_code", code));
  }
  absl::string_view description = complaint.description();
  std::string media_url;
  const size_t media = description.rfind(kMediaLine);
  if (media != absl::string_view::npos &&
      description.find('\n', media + kMediaLine.size()) ==
          absl::string_view::npos) {
    media_url = std::string(description.substr(media + kMediaLine.size()));
    description = description.substr(0, media);
  }
  record.Add(Element::Text("description", description));
  // The organization, or the agency a referred case went to.
  const std::string& agency =
      complaint.state() == C::REFERRED && !complaint.referred_to().empty()
          ? complaint.referred_to()
          : complaint.organization().name();
  if (agency.empty()) {
    record.Add(Element::Null("agency_responsible"));
  } else {
    record.Add(Element::Text("agency_responsible", agency));
  }
  record.Add(Element::Null("service_notice"));
  record.Add(
      Element::Text("requested_datetime", W3cTime(complaint.receive_time())));
  record.Add(Element::Text("updated_datetime",
                           W3cTime(complaint.audit().has_update_time()
                                       ? complaint.audit().update_time()
                                       : complaint.receive_time())));
  if (complaint.has_due_time()) {
    record.Add(
        Element::Text("expected_datetime", W3cTime(complaint.due_time())));
  } else {
    record.Add(Element::Null("expected_datetime"));
  }
  const cv1::Place& place = complaint.place();
  std::vector<std::string> address;
  for (const std::string* part :
       {&place.description(), &place.village(), &place.subdistrict()}) {
    if (!part->empty()) address.push_back(*part);
  }
  if (address.empty()) {
    record.Add(Element::Null("address"));
  } else {
    record.Add(Element::Text("address", absl::StrJoin(address, ", ")));
  }
  record.Add(Element::Null("address_id"));
  record.Add(Element::Null("zipcode"));
  if (place.has_latitude() && place.has_longitude()) {
    // StrCat's six digits would move a point by up to ~100 m.
    record.Add(
        Element::Literal("lat", absl::StrFormat("%.15g", place.latitude())));
    record.Add(
        Element::Literal("long", absl::StrFormat("%.15g", place.longitude())));
  } else {
    record.Add(Element::Null("lat"));
    record.Add(Element::Null("long"));
  }
  if (media_url.empty()) {
    record.Add(Element::Null("media_url"));
  } else {
    record.Add(Element::Text("media_url", media_url));
  }
  return record;
}

HttpResponse Exchange::GetRequest(absl::string_view id) {
  if (auto problem = NeedLookups()) return Error(*problem);
  if (auto problem = Jurisdiction()) return Error(*problem);
  if (!IsCode(id, 64, false)) {
    return Error({400, "service_request_id: malformed"});
  }
  cv1::GetComplaintRequest get;
  get.set_name(
      absl::StrCat("organizations/", organization_, "/complaints/", id));
  C complaint;
  grpc::Status status =
      CallComplaints("GetComplaint", get, &complaint, LookupMetadata());
  // A corruption report reads exactly as a request that does not exist,
  // whether the lookup key may read it (filtered here) or not (refused).
  const bool hidden =
      status.error_code() == grpc::StatusCode::NOT_FOUND ||
      status.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
      (status.ok() && complaint.kind() != C::GENERAL);
  if (hidden) return Error({404, "service_request_id: no such request"});
  if (!status.ok()) return Error(FromGrpc(status, false));
  if (auto problem = LoadCategories()) return Error(*problem);
  Element requests = Element::List("service_requests");
  requests.Add(RequestRecord(complaint));
  return Answer(format_, requests);
}

std::optional<Problem> Exchange::Window(absl::Time* start,
                                        absl::Time* end) const {
  std::string start_text, end_text;
  if (auto problem = arguments_.One("start_date", &start_text)) return problem;
  if (auto problem = arguments_.One("end_date", &end_text)) return problem;
  std::optional<absl::Time> from, to;
  if (!start_text.empty() && !(from = ParseW3cTime(start_text))) {
    return Problem{400,
                   "start_date: not a w3 datetime with a time zone "
                   "(2010-01-01T00:00:00Z)"};
  }
  if (!end_text.empty() && !(to = ParseW3cTime(end_text))) {
    return Problem{400,
                   "end_date: not a w3 datetime with a time zone "
                   "(2010-01-01T00:00:00Z)"};
  }
  // Defaults: the most recent 90 days, or 90 days from or up to the one
  // bound given.
  if (!from && !to) to = Now();
  if (!from) from = *to - kMaxSpan;
  if (!to) to = *from + kMaxSpan;
  if (*to < *from) return Problem{400, "end_date: before start_date"};
  if (*to - *from > kMaxSpan) {
    return Problem{400, "start_date/end_date: may not span more than 90 days"};
  }
  *start = *from;
  *end = *to;
  return std::nullopt;
}

std::optional<Problem> Exchange::ListGeneral(
    const std::vector<C::State>& states, absl::Time end, size_t limit,
    const std::function<bool(const C&)>& keep, std::vector<C>* out) const {
  cv1::ListComplaintsRequest list;
  list.set_parent(absl::StrCat("organizations/", organization_));
  list.set_kind(C::GENERAL);
  list.set_page_size(1000);
  for (C::State state : states) list.add_states(state);
  while (out->size() < limit) {
    cv1::ListComplaintsResponse page;
    grpc::Status status =
        CallComplaints("ListComplaints", list, &page, LookupMetadata());
    if (!status.ok()) return FromGrpc(status, false);
    for (const C& complaint : page.complaints()) {
      // Listed oldest first: nothing after this one is in the window.
      if (FromTimestamp(complaint.receive_time()) > end) return std::nullopt;
      // The kind filter is the service's; this one is the gateway's own, so
      // that no key and no service change can put a report here.
      if (complaint.kind() != C::GENERAL || !keep(complaint)) continue;
      out->push_back(complaint);
      if (out->size() >= limit) return std::nullopt;
    }
    if (page.next_page_token().empty()) return std::nullopt;
    list.set_page_token(page.next_page_token());
  }
  return std::nullopt;
}

std::optional<Problem> Exchange::FindByIds(const std::vector<std::string>& ids,
                                           std::vector<C>* found) const {
  if (ids.size() > kMaxResults) {
    return Problem{400, "service_request_id: at most 1000 at once"};
  }
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!IsCode(id, 64, false)) {
      return Problem{400, "service_request_id: malformed"};
    }
    if (!seen.insert(id).second) continue;
    cv1::GetComplaintRequest get;
    get.set_name(
        absl::StrCat("organizations/", organization_, "/complaints/", id));
    C complaint;
    grpc::Status status =
        CallComplaints("GetComplaint", get, &complaint, LookupMetadata());
    if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
        status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      continue;
    }
    if (!status.ok()) return FromGrpc(status, false);
    if (complaint.kind() == C::GENERAL) found->push_back(complaint);
  }
  return std::nullopt;
}

// The states `status` (open, closed or both) selects; none: every state.
std::optional<Problem> ParseStatuses(const std::vector<std::string>& statuses,
                                     std::vector<C::State>* states) {
  bool open = false, closed = false;
  for (const std::string& status : statuses) {
    if (status == "open") {
      open = true;
    } else if (status == "closed") {
      closed = true;
    } else {
      return Problem{400, "status: open or closed"};
    }
  }
  states->clear();
  if (open != closed) *states = StatesOf(open);
  return std::nullopt;
}

std::optional<Problem> Exchange::ReadSearch(Search* search) const {
  for (const std::string& code : arguments_.List("service_code")) {
    if (!IsCode(code, 40, true)) {
      return Problem{400, "service_code: malformed"};
    }
    search->codes.insert(code);
  }
  if (auto problem =
          ParseStatuses(arguments_.List("status"), &search->states)) {
    return problem;
  }
  return Window(&search->start, &search->end);
}

std::optional<Problem> Exchange::FindBySearch(std::vector<C>* found) const {
  Search search;
  if (auto problem = ReadSearch(&search)) return problem;
  auto keep = [&search](const C& complaint) {
    if (FromTimestamp(complaint.receive_time()) < search.start) return false;
    if (search.codes.empty()) return true;
    return !complaint.category().empty() &&
           search.codes.count(LastSegment(complaint.category())) > 0;
  };
  return ListGeneral(search.states, search.end, kMaxResults, keep, found);
}

HttpResponse Exchange::SearchRequests() {
  if (auto problem = NeedLookups()) return Error(*problem);
  if (auto problem = Jurisdiction()) return Error(*problem);
  if (auto problem = LoadCategories()) return Error(*problem);
  std::vector<C> found;
  const std::vector<std::string> ids = arguments_.List("service_request_id");
  // "This overrides all other arguments."
  std::optional<Problem> problem =
      ids.empty() ? FindBySearch(&found) : FindByIds(ids, &found);
  if (problem) return Error(*problem);
  Element requests = Element::List("service_requests");
  for (const C& complaint : found) requests.Add(RequestRecord(complaint));
  return Answer(format_, requests);
}

HttpResponse Exchange::Token() const {
  // Every service is realtime: no token is ever issued, so none is found.
  // The token is not repeated in the answer.
  return Error({404,
                "token: no such token (this endpoint returns "
                "service_request_id at once and issues no tokens)"});
}

// Staff's public replies only: never internal or workflow notes, nor what
// the complainant added (it may say who they are).
bool IsPublicStaffReply(const cv1::Reply& reply) {
  return reply.visibility() == cv1::Reply::PUBLIC &&
         reply.author() == cv1::Reply::STAFF;
}

Element UpdateElement(const C& complaint, const cv1::Reply& reply) {
  Element element = Element::Record("request_update");
  element.Add(
      Element::Text("update_id", absl::StrCat(LastSegment(complaint.name()),
                                              "-", LastSegment(reply.name()))));
  element.Add(
      Element::Text("service_request_id", LastSegment(complaint.name())));
  element.Add(
      Element::Text("status", IsOpen(complaint.state()) ? "open" : "closed"));
  element.Add(Element::Text("updated_datetime", W3cTime(reply.create_time())));
  element.Add(Element::Text("description", reply.text()));
  element.Add(Element::Null("media_url"));
  return element;
}

std::optional<Problem> Exchange::AppendUpdates(
    const C& complaint, absl::Time start, absl::Time end,
    std::vector<Update>* updates) const {
  cv1::ListRepliesRequest list;
  list.set_parent(complaint.name());
  list.set_page_size(1000);
  while (true) {
    cv1::ListRepliesResponse page;
    grpc::Status status =
        CallComplaints("ListReplies", list, &page, LookupMetadata());
    if (!status.ok()) return FromGrpc(status, false);
    for (const cv1::Reply& reply : page.replies()) {
      if (!IsPublicStaffReply(reply)) continue;
      const absl::Time time = FromTimestamp(reply.create_time());
      if (time < start || time > end) continue;
      updates->push_back({time, UpdateElement(complaint, reply)});
    }
    if (page.next_page_token().empty()) return std::nullopt;
    list.set_page_token(page.next_page_token());
  }
}

HttpResponse UpdatesAnswer(Format format, std::vector<Update> updates) {
  std::stable_sort(
      updates.begin(), updates.end(),
      [](const Update& a, const Update& b) { return a.time < b.time; });
  if (updates.size() > kMaxResults) {
    updates.erase(updates.begin() + kMaxResults, updates.end());
  }
  Element list = Element::List("service_request_updates");
  for (Update& update : updates) list.Add(std::move(update.element));
  return Answer(format, list);
}

HttpResponse Exchange::Updates() {
  if (auto problem = NeedLookups()) return Error(*problem);
  if (auto problem = Jurisdiction()) return Error(*problem);
  absl::Time start, end;
  if (auto problem = Window(&start, &end)) return Error(*problem);
  // A reply moves its complaint's update time, so a complaint last changed
  // before the window has no reply in it.
  std::vector<C> complaints;
  auto keep = [&](const C& complaint) {
    return FromTimestamp(complaint.audit().update_time()) >= start;
  };
  if (auto problem = ListGeneral({}, end, SIZE_MAX, keep, &complaints)) {
    return Error(*problem);
  }
  std::vector<Update> updates;
  for (const C& complaint : complaints) {
    if (auto problem = AppendUpdates(complaint, start, end, &updates)) {
      return Error(*problem);
    }
  }
  return UpdatesAnswer(format_, std::move(updates));
}

// "requests/abc.json" -> resource "requests/abc", format json; false when
// the name ends in neither .xml nor .json.
bool SplitFormat(absl::string_view subpath, Format* format,
                 absl::string_view* resource) {
  *format = Format::kXml;
  const size_t dot = subpath.rfind('.');
  const size_t slash = subpath.rfind('/');
  if (dot == absl::string_view::npos ||
      (slash != absl::string_view::npos && dot < slash)) {
    return false;
  }
  const absl::string_view extension = subpath.substr(dot + 1);
  if (extension != "xml" && extension != "json") return false;
  *format = extension == "json" ? Format::kJson : Format::kXml;
  *resource = subpath.substr(0, dot);
  return true;
}

// The query's arguments, and for POST the form body's after them.
std::optional<Problem> ArgumentsOf(const HttpRequest& request,
                                   Arguments* arguments) {
  *arguments = Arguments(request.query);
  if (request.method != "POST") return std::nullopt;
  const std::string type =
      absl::AsciiStrToLower(request.Header("content-type"));
  if (!absl::StartsWith(type, "application/x-www-form-urlencoded")) {
    return Problem{400,
                   "send the request as application/x-www-form-urlencoded"};
  }
  std::vector<std::pair<std::string, std::string>> pairs = request.query;
  for (auto& pair : ParseFormEncoded(request.body)) {
    pairs.push_back(std::move(pair));
  }
  *arguments = Arguments(std::move(pairs));
  return std::nullopt;
}

// What a (method, resource) pair calls: `collection` alone, or with an id
// ("services/{code}"). GET also serves HEAD.
struct Route {
  absl::string_view method;
  absl::string_view collection;
  bool with_id;
  HttpResponse (*call)(Exchange& exchange, absl::string_view id);
};
constexpr Route kRoutes[] = {
    {"GET", "discovery", false,
     [](Exchange& exchange, absl::string_view) {
       return exchange.Discovery();
     }},
    {"GET", "services", false,
     [](Exchange& exchange, absl::string_view) { return exchange.Services(); }},
    {"GET", "requests", false,
     [](Exchange& exchange, absl::string_view) {
       return exchange.SearchRequests();
     }},
    {"POST", "requests", false,
     [](Exchange& exchange, absl::string_view) {
       return exchange.PostRequest();
     }},
    {"GET", "servicerequestupdates", false,
     [](Exchange& exchange, absl::string_view) { return exchange.Updates(); }},
    {"GET", "services", true,
     [](Exchange& exchange, absl::string_view id) {
       return exchange.ServiceDefinition(id);
     }},
    {"GET", "requests", true,
     [](Exchange& exchange, absl::string_view id) {
       return exchange.GetRequest(id);
     }},
    {"GET", "tokens", true,
     [](Exchange& exchange, absl::string_view) { return exchange.Token(); }},
};

bool MethodMatches(absl::string_view route_method, absl::string_view method) {
  return route_method == method || (route_method == "GET" && method == "HEAD");
}

HttpResponse Dispatch(Exchange& exchange, Format format,
                      absl::string_view resource, absl::string_view method) {
  std::vector<absl::string_view> parts = absl::StrSplit(resource, '/');
  const bool with_id = parts.size() == 2;
  if (parts.size() > 2 || (with_id && parts[1].empty())) {
    return ErrorAnswer(format, {404, "no such resource"});
  }
  const absl::string_view id = with_id ? parts[1] : absl::string_view();
  std::vector<absl::string_view> allowed;
  for (const Route& route : kRoutes) {
    if (route.collection != parts[0] || route.with_id != with_id) continue;
    if (MethodMatches(route.method, method)) return route.call(exchange, id);
    allowed.push_back(route.method);
  }
  if (allowed.empty()) return ErrorAnswer(format, {404, "no such resource"});
  const std::string allow = absl::StrJoin(allowed, ", ");
  HttpResponse response = ErrorAnswer(
      format, {405, absl::StrCat("method not allowed: use ", allow)});
  response.headers.emplace_back("Allow", allow);
  return response;
}

}  // namespace

Open311::Open311(const Backends& backends, Open311Options options)
    : backends_(backends), options_(std::move(options)) {}

HttpResponse Open311::Handle(const HttpRequest& request,
                             absl::string_view subpath) const {
  Format format = Format::kXml;
  absl::string_view resource;
  if (!SplitFormat(subpath, &format, &resource)) {
    return ErrorAnswer(format, {404,
                                "no such resource: name it with .xml "
                                "or .json"});
  }
  Arguments arguments({});
  if (auto problem = ArgumentsOf(request, &arguments)) {
    return ErrorAnswer(format, *problem);
  }
  Exchange exchange(backends_, options_, request, format, std::move(arguments));
  return Dispatch(exchange, format, resource, request.method);
}

}  // namespace prongsai::gateway
