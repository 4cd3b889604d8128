// Every string the UI shows, in one place (Vietnamese first).
// Screens and components import from here; no user-visible text is written anywhere else.

export const APP = {
  title: "Sổ chi trả hỗ trợ COVID-19",
  subtitle: "Ứng dụng quản lý chi trả hỗ trợ cho phường",
  navLabel: "Các màn hình",
  shortcutHint: "Phím tắt: Alt + số thứ tự của màn hình; Ctrl+F hoặc / để tìm người; Alt+N để thêm mới",
  versionLine: (name, version) => `${name} · phiên bản ${version}`,
  ledgerLine: (path) => `Sổ dữ liệu: ${path}`,
  officeLine: (o) => `Phường ${o.ward} · Quận ${o.district} · ${o.city}`,
  loading: "Đang tải…",
  operatorLabel: "Người thao tác",
  operatorAdd: "+ Thêm người thao tác…",
  operatorNone: "(chưa chọn)",
  needOperator: "Hãy chọn người thao tác ở góc trên bên phải trước khi ghi.",
};

export const COMMON = {
  save: "Lưu (Enter)",
  cancel: "Hủy",
  close: "Đóng",
  back: "← Quay lại",
  yes: "Có",
  no: "Không",
  unknown: "Chưa rõ",
  none: "—",
  saved: "Đã lưu.",
  working: "Đang xử lý…",
  prev: "← Trang trước",
  next: "Trang sau →",
  page: (from, to, total) => `${from}–${to} / ${total}`,
  empty: "Chưa có dữ liệu.",
  print: "In (Ctrl+P)",
  required: "Không được để trống",
  stt: "STT",
};

// Placeholder wording shared by screens still being built.
export const COMING = {
  badge: "Đang xây dựng",
  lead: "Màn hình này sẽ có:",
};

// The screens, in navigation order. `coming` lists what a placeholder screen will hold.
export const SCREENS = [
  { id: "overview", title: "Tổng quan" },
  { id: "beneficiaries", title: "Người thụ hưởng" },
  { id: "claims", title: "Hồ sơ đề nghị" },
  { id: "lists", title: "Danh sách & phê duyệt" },
  { id: "payouts", title: "Chi trả" },
  {
    id: "import-export",
    title: "Nhập / Xuất",
    coming: [
      "Nhập danh sách từ tệp CSV của Excel (dấu phân cách “;” hoặc “,”, UTF-8, UTF-16 hoặc bảng mã cũ), nói rõ những gì đã giả định.",
      "Xuất CSV mở được bằng Excel và bảng in cho kế toán.",
      "Hiển thị tiến độ và cho phép hủy khi xử lý tệp lớn.",
    ],
  },
  {
    id: "duplicates",
    title: "Kiểm tra trùng",
    coming: [
      "Tìm người có thể được chi trả hai lần: cùng một người với CMND và CCCD, số giấy tờ gõ thiếu chữ số, họ tên viết khác thứ tự.",
      "Giải thích vì sao hai hồ sơ bị coi là có thể trùng.",
      "Trong lúc chờ: khi lập hồ sơ, màn hình Hồ sơ đề nghị đã cảnh báo người cùng tên và các hồ sơ sẵn có của người đó.",
    ],
  },
  { id: "audit", title: "Nhật ký" },
  { id: "settings", title: "Cài đặt" },
];

export const ROLES = {
  officer: "Cán bộ LĐ-TB&XH",
  accountant: "Kế toán",
  approver: "Lãnh đạo phê duyệt",
  auditor: "Thanh tra, kiểm toán",
  admin: "Quản trị",
};

export const STATES = {
  received: "Đã tiếp nhận",
  verified: "Đã thẩm định",
  posted: "Đã niêm yết",
  approved: "Đã phê duyệt",
  paid: "Đã chi trả",
  rejected: "Từ chối",
};

export const SEX = { M: "Nam", F: "Nữ" };

export const ID_KINDS = {
  cccd: "CCCD",
  cmnd: "CMND",
  personal_id: "Mã định danh",
  social_insurance: "Mã số BHXH",
};

// How sure the rule pack is of a rate; anything but "confirmed" is shown next to the amount.
export const CONFIDENCE = {
  confirmed: "đã xác nhận",
  secondary: "nguồn thứ cấp",
  inferred: "suy luận",
  unconfirmed: "CHƯA XÁC NHẬN",
};

export const METHODS = { cash: "Tiền mặt", bank: "Chuyển khoản" };

export const SETUP = {
  heading: "Thiết lập sổ cho phường",
  lead: "Lần đầu mở ứng dụng trên máy này. Nhập thông tin đơn vị và người sử dụng đầu tiên (người này có vai trò quản trị).",
  ward: "Phường/xã",
  district: "Quận/huyện",
  city: "Tỉnh/thành phố",
  cityDefault: "Hà Nội",
  operator: "Tên người dùng đầu tiên",
  demo: "Nạp dữ liệu mẫu (2.000 người, hồ sơ theo các chính sách) để làm quen với ứng dụng",
  submit: "Bắt đầu sử dụng",
  working: "Đang thiết lập sổ…",
  workingDemo: "Đang tạo dữ liệu mẫu, xin chờ vài giây…",
};

export const OPERATOR_FORM = {
  heading: "Thêm người thao tác",
  name: "Họ và tên",
  role: "Vai trò",
  submit: "Thêm",
  added: (name) => `Đã thêm ${name}.`,
};

export const OVERVIEW = {
  byPolicy: "Theo chính sách",
  byInstrument: "Đã chi trả theo văn bản (số liệu báo cáo cấp trên)",
  chart: "Số tiền theo chính sách",
  chartLegendPaid: "Đã chi trả",
  chartLegendRest: "Chưa chi trả",
  policy: "Chính sách",
  claims: "Số hồ sơ",
  waiting: "Chờ phê duyệt",
  approved: "Đã phê duyệt",
  paid: "Đã chi trả",
  paidAmount: "Số tiền đã chi",
  total: "Tổng số tiền",
  instrument: "Văn bản",
  people: "Số lượt",
  amount: "Số tiền",
  totalRow: "Tổng cộng",
  reversals: (n, amount) => `Bút toán đảo: ${n} khoản, ${amount}.`,
  empty: "Chưa có hồ sơ nào. Bắt đầu ở màn hình Người thụ hưởng và Hồ sơ đề nghị.",
};

export const PEOPLE = {
  search: "Tìm theo họ tên (không cần dấu) hoặc số giấy tờ",
  searchHint: "Ctrl+F hoặc /",
  add: "Thêm người (Alt+N)",
  results: (n) => `${n} kết quả`,
  noResults: "Không tìm thấy ai.",
  colName: "Họ và tên",
  colDob: "Ngày sinh",
  colSex: "Giới tính",
  colIds: "Giấy tờ",
  colGroup: "Tổ dân phố",
  colAddress: "Địa chỉ",
  formHeading: "Thêm người thụ hưởng",
  fullName: "Họ và tên",
  dob: "Ngày sinh (dd/mm/yyyy hoặc năm)",
  sex: "Giới tính",
  sexUnknown: "Chưa rõ",
  cccd: "Số CCCD (12 số)",
  cmnd: "Số CMND (9 hoặc 12 số)",
  bhxh: "Mã số BHXH (10 số)",
  address: "Địa chỉ",
  residentialGroup: "Tổ dân phố",
  phone: "Điện thoại",
  phoneInvalid: "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (hoặc +84)",
  sameName: (n) => `Đã có ${n} người cùng họ tên trong sổ; kiểm tra trước khi thêm:`,
  saved: (name) => `Đã lưu ${name}.`,
  detailIds: "Giấy tờ tùy thân",
  detailClaims: "Hồ sơ đề nghị",
  detailPayouts: "Các lần chi trả",
  newClaim: "Lập hồ sơ đề nghị cho người này",
  noIds: "Chưa có giấy tờ.",
  noClaims: "Chưa có hồ sơ.",
  noPayouts: "Chưa có lần chi trả nào.",
  reversed: (reason) => `Đã đảo: ${reason}`,
  live: "Hiệu lực",
  colKind: "Loại",
  colNumber: "Số",
  colPolicy: "Chính sách",
  colAmount: "Số tiền",
  colState: "Trạng thái",
  colRecorded: "Người ghi, thời gian",
  colPaidOn: "Ngày chi",
  colMethod: "Hình thức",
  colOfficer: "Người chi",
  colStatus: "Tình trạng",
};

// Questions for the yes/no facts a policy's conditions name.
export const FACTS = {
  social_insurance: "Đang tham gia BHXH bắt buộc (tháng liền kề trước đó)",
  household_business_employer: "Làm việc cho hộ kinh doanh",
  unemployment_benefit_eligible: "Đủ điều kiện hưởng trợ cấp thất nghiệp",
  unlawful_self_termination: "Đơn phương chấm dứt HĐLĐ trái pháp luật",
  receives_pension: "Đang hưởng lương hưu hoặc trợ cấp mất sức lao động hằng tháng",
  quarantine_decision: "Có quyết định cách ly của cơ quan có thẩm quyền",
  grade_iv: "Giữ chức danh nghề nghiệp hạng IV",
  guide_card: "Có thẻ hướng dẫn viên du lịch",
  resident_hanoi: "Cư trú hợp pháp trên địa bàn Hà Nội",
};

export const CLAIMS = {
  formHeading: "Lập hồ sơ đề nghị",
  person: "Người thụ hưởng",
  personSearch: "Gõ họ tên hoặc số giấy tờ để chọn",
  personChange: "Đổi người",
  personNone: "Chưa chọn người thụ hưởng.",
  policy: "Chính sách",
  policyPick: "— Chọn chính sách —",
  onlyPersonPolicies: "Chính sách chi trả theo hộ hoặc nhóm sẽ được lập ở bản sau.",
  instrument: "Văn bản",
  basis: "Căn cứ",
  source: "Nguồn",
  confidence: (label) => `Mức độ xác nhận: ${label}`,
  from: (period) => `${period}: từ ngày`,
  to: "đến ngày",
  days: "Số ngày (nếu không có ngày cụ thể)",
  applied: "Ngày nộp hồ sơ",
  pregnant: "Đang mang thai",
  elderly: "Người từ đủ 60 tuổi trở lên",
  disabled: "Người khuyết tật nặng hoặc đặc biệt nặng",
  children: "Con dưới 6 tuổi",
  childAdd: "+ Thêm con",
  childRemove: "Bỏ",
  childName: "Họ tên con",
  childDob: "Ngày sinh",
  childId: "Mã định danh/số giấy khai sinh",
  conditions: "Điều kiện cần xác nhận",
  quoteHeading: "Số tiền được hưởng (tính trước khi lưu)",
  quoteWaiting: "Chọn chính sách và nhập thông tin để xem số tiền.",
  eligible: "Đủ điều kiện",
  refused: "Không đủ điều kiện",
  reasons: "Lý do",
  notes: "Ghi chú",
  total: "Tổng cộng",
  duplicates: "Có thể trùng",
  dupSameName: (n) => `${n} người khác cùng họ tên trong sổ:`,
  dupClaims: (n) => `Người này đã có ${n} hồ sơ:`,
  dupNone: "Không thấy người cùng tên hay hồ sơ nào khác của người này.",
  saved: (amount) => `Đã lưu hồ sơ, số tiền ${amount}.`,
  recent: "Hồ sơ vừa ghi",
  colName: "Người thụ hưởng",
};

export const LISTS = {
  createHeading: "Lập danh sách (đợt) mới",
  name: "Tên danh sách",
  nameDefault: (n, date) => `Đợt ${n} – ${date}`,
  policies: "Gồm các hồ sơ chờ lập danh sách của chính sách",
  noneWaiting: "Không có hồ sơ nào chờ lập danh sách.",
  waiting: (count, amount) => `${count} hồ sơ · ${amount}`,
  create: "Lập danh sách (Enter)",
  created: (name, n) => `Đã lập ${name} gồm ${n} hồ sơ.`,
  listsHeading: "Các danh sách",
  colName: "Danh sách",
  colCreated: "Người lập",
  colClaims: "Số hồ sơ",
  colTotal: "Tổng tiền",
  colPosted: "Niêm yết",
  colDecision: "Quyết định phê duyệt",
  colPaid: "Đã chi",
  notPosted: "Chưa",
  notApproved: "Chưa phê duyệt",
  decision: (no, date) => `${no} ngày ${date}`,
  open: "Mở",
  post: "Đánh dấu đã niêm yết công khai",
  posted: (date) => `Đã niêm yết ngày ${date}.`,
  printPosting: "In danh sách niêm yết",
  approveHeading: "Phê duyệt",
  approveHint: "Người phê duyệt phải khác người lập danh sách và người ghi hồ sơ.",
  decisionNo: "Số quyết định",
  decisionNoPlaceholder: "VD: 123/QĐ-UBND",
  decisionDate: "Ngày quyết định",
  approve: "Phê duyệt (Enter)",
  approved: (no, by) => `Đã phê duyệt theo Quyết định ${no} (người phê duyệt: ${by}).`,
  items: "Các hồ sơ trong danh sách",
  colStt: "STT",
  colPerson: "Họ và tên",
  colId: "Số CCCD/CMND",
  colGroup: "Tổ dân phố",
  colPolicy: "Chính sách",
  colAmount: "Số tiền",
  colState: "Trạng thái",
  pickList: "Chọn một danh sách để xem chi tiết.",
};

export const PAYOUTS = {
  pickList: "Danh sách đã phê duyệt",
  pickNone: "— Chọn danh sách —",
  noneApproved: "Chưa có danh sách nào được phê duyệt. Phê duyệt ở màn hình Danh sách & phê duyệt.",
  paidOn: "Ngày chi",
  method: "Hình thức",
  hint: "Chọn một dòng bằng chuột hoặc phím ↑ ↓, nhấn Enter để chi trả cho người đó.",
  payAll: "Chi trả cả danh sách",
  paidOne: (name, amount) => `Đã chi trả ${amount} cho ${name}.`,
  paidAll: (n, amount) => `Đã chi trả ${n} hồ sơ, tổng ${amount}.`,
  reverse: "Đảo khoản chi",
  reverseHeading: (name) => `Đảo khoản chi của ${name}`,
  reason: "Lý do đảo",
  reverseDate: "Ngày đảo",
  reverseSubmit: "Xác nhận đảo (Enter)",
  reversed: (name) => `Đã đảo khoản chi của ${name}; hồ sơ có thể chi trả lại.`,
  printSheet: "In bảng chi trả",
  summary: (paid, total, amount) => `Đã chi ${paid}/${total} hồ sơ · tổng danh sách ${amount}`,
};

export const PRINT = {
  committee: (ward) => `UỶ BAN NHÂN DÂN PHƯỜNG ${ward.toUpperCase()}`,
  district: (district) => `QUẬN ${district.toUpperCase()}`,
  nation: "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  motto: "Độc lập – Tự do – Hạnh phúc",
  postingTitle: "DANH SÁCH NIÊM YẾT CÔNG KHAI",
  postingLead: (name) => `Đối tượng đề nghị hỗ trợ do ảnh hưởng của đại dịch COVID-19 – ${name}`,
  postingNote: "Mọi ý kiến phản ánh về danh sách xin gửi về UBND phường trong thời gian niêm yết.",
  sheetTitle: "DANH SÁCH CHI TRẢ TIỀN HỖ TRỢ",
  sheetLead: (name) => `Đối tượng bị ảnh hưởng bởi đại dịch COVID-19 – ${name}`,
  decision: (no, date) => `(Kèm theo Quyết định số ${no} ngày ${date})`,
  colSign: "Ký nhận",
  total: "Tổng cộng",
  inWords: (words) => `Số tiền bằng chữ: ${words}.`,
  preparer: "Người lập biểu",
  accountant: "Kế toán",
  chair: "TM. UBND phường",
  signHint: "(Ký, ghi rõ họ tên)",
  place: (city, date) => `${city}, ngày ${date}`,
};

export const AUDIT = {
  verify: "Kiểm tra chuỗi",
  verifying: "Đang kiểm tra…",
  verified: (r) =>
    `Chuỗi nhật ký toàn vẹn: ${r.audit_rows} dòng đã kiểm tra; ${r.payouts} khoản chi, ${r.mismatched_payouts} khoản sai lệch với hồ sơ.`,
  mismatch: (n) => `Cảnh báo: ${n} khoản chi khác số tiền của hồ sơ.`,
  colSeq: "#",
  colAt: "Thời gian",
  colActor: "Người thao tác",
  colAction: "Thao tác",
  colEntity: "Đối tượng",
  colDetail: "Chi tiết",
  lead: "200 thao tác gần nhất, mới nhất ở trên (giờ Việt Nam).",
  entities: { office: "Đơn vị", operator: "Người thao tác", person: "Người", household: "Hộ", group: "Nhóm", claim: "Hồ sơ", list: "Danh sách", payout: "Khoản chi" },
  keys: { amount: "số tiền", total: "tổng", count: "số hồ sơ", claims: "số hồ sơ", name: "tên", reason: "lý do", paid_on: "ngày chi", method: "hình thức", decision_no: "số QĐ", decision_date: "ngày QĐ", policy: "chính sách", role: "vai trò", ward: "phường", district: "quận", city: "tỉnh/TP" },
  actions: {
    init: "Khởi tạo sổ",
    set_operator: "Đặt người thao tác",
    add_person: "Thêm người",
    add_identity: "Thêm giấy tờ",
    add_household: "Thêm hộ",
    add_group: "Thêm nhóm",
    add_claim: "Ghi hồ sơ",
    reject_claim: "Từ chối hồ sơ",
    create_list: "Lập danh sách",
    post_list: "Niêm yết",
    approve_list: "Phê duyệt",
    pay: "Chi trả",
    reverse: "Đảo khoản chi",
    override_amount: "Điều chỉnh số tiền",
    demo: "Tạo dữ liệu mẫu",
  },
};

export const SETTINGS = {
  office: "Đơn vị",
  ward: "Phường/xã",
  district: "Quận/huyện",
  city: "Tỉnh/thành phố",
  operators: "Người thao tác",
  colName: "Họ và tên",
  colRole: "Vai trò",
  pack: "Bộ quy định mức hỗ trợ",
  packId: "Mã",
  packVersion: "Phiên bản",
  packTitle: "Nội dung",
  ledger: "Tệp sổ dữ liệu",
};

// The IPC check on the settings screen: proves Vietnamese text survives the trip to the app and back.
export const IPC_CHECK = {
  heading: "Kiểm tra kết nối với ứng dụng",
  explain: "Gửi một đoạn chữ tiếng Việt có dấu tới phần xử lý của ứng dụng và so sánh với chữ nhận về.",
  sample: "Nguyễn Thị Hương – Đặng Văn Đức",
  sentLabel: "Đã gửi",
  receivedLabel: "Nhận về",
  button: "Kiểm tra lại",
  running: "Đang kiểm tra…",
  ok: "Khớp: chữ tiếng Việt được giữ nguyên.",
  mismatch: "Không khớp: chữ nhận về khác chữ đã gửi.",
  failed: (message) => `Lỗi: ${message}`,
};

// Messages for errors that arise in the UI itself (errors from the app arrive already in Vietnamese).
export const ERRORS = {
  noBackend: "Không kết nối được với ứng dụng. Hãy mở giao diện này bằng ứng dụng Sổ chi trả, không phải bằng trình duyệt.",
  unexpected: "Đã xảy ra lỗi không mong muốn. Hãy thử lại; nếu vẫn lỗi, liên hệ bộ phận kỹ thuật.",
};

// Amount in words (số tiền bằng chữ).
export const WORDS = {
  digits: ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"],
  hundred: "trăm",
  odd: "linh",
  ten: "mười",
  tens: "mươi",
  one: "mốt",
  five: "lăm",
  units: ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"],
  currency: "đồng",
  zero: "Không đồng",
};
