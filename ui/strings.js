// Every string the UI shows, in one place (Vietnamese first).
// Screens and components import from here; no user-visible text is written anywhere else.

export const APP = {
  title: "Sổ chi trả hỗ trợ COVID-19",
  subtitle: "Ứng dụng quản lý chi trả hỗ trợ cho phường",
  navLabel: "Các màn hình",
  shortcutHint: "Phím tắt: Alt + số thứ tự của màn hình",
  versionLine: (name, version) => `${name} · phiên bản ${version}`,
  ledgerLine: (path) => `Sổ dữ liệu: ${path}`,
};

// Placeholder wording shared by screens still being built.
export const COMING = {
  badge: "Đang xây dựng",
  lead: "Màn hình này sẽ có:",
};

// The screens, in navigation order. `coming` lists what each screen will hold.
export const SCREENS = [
  {
    id: "overview",
    title: "Tổng quan",
    coming: [
      "Theo từng chính sách: số hồ sơ, số người, số tiền đã phê duyệt và đã chi trả, tiến độ.",
      "Biểu đồ đơn giản để nhìn nhanh thay vì đọc bảng số.",
      "Các số liệu phường báo cáo lên cấp trên.",
    ],
  },
  {
    id: "beneficiaries",
    title: "Người thụ hưởng",
    coming: [
      "Tìm kiếm tức thì, không cần gõ dấu: gõ “nguyen thi huong” sẽ thấy “Nguyễn Thị Hương”.",
      "Thêm và sửa người thụ hưởng, kiểm tra từng ô ngay khi nhập.",
      "Hộ gia đình và nhóm; trang của từng người với giấy tờ tùy thân, hồ sơ và các lần chi trả.",
    ],
  },
  {
    id: "claims",
    title: "Hồ sơ đề nghị",
    coming: [
      "Chọn chính sách, nhập thông tin cần thiết.",
      "Xem số tiền được hưởng, cách tính và căn cứ pháp lý trước khi lưu; lý do nếu không đủ điều kiện.",
      "Cảnh báo những người có thể bị trùng trước khi lưu.",
    ],
  },
  {
    id: "lists",
    title: "Danh sách & phê duyệt",
    coming: [
      "Lập danh sách theo đợt.",
      "In danh sách niêm yết công khai.",
      "Phê duyệt với số và ngày quyết định, do người khác với người lập danh sách thực hiện.",
    ],
  },
  {
    id: "payouts",
    title: "Chi trả",
    coming: [
      "Ghi nhận chi trả nhanh bằng bàn phím cho danh sách đã phê duyệt.",
      "In bảng chi trả có cột ký nhận và tổng số tiền bằng chữ.",
      "Hủy một lần chi trả sai bằng bút toán đảo, kèm lý do.",
    ],
  },
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
    ],
  },
  {
    id: "audit",
    title: "Nhật ký",
    coming: [
      "Nhật ký mọi thao tác: ai, lúc nào, làm gì.",
      "Kiểm tra tính toàn vẹn của nhật ký và đối chiếu tổng số tiền của sổ.",
    ],
  },
  {
    id: "settings",
    title: "Cài đặt",
    coming: [
      "Thông tin phường, quận và người sử dụng.",
      "Bộ quy định mức hỗ trợ đang áp dụng.",
      "Sao lưu sổ dữ liệu.",
    ],
  },
];

// The IPC check on the overview screen: proves Vietnamese text survives the trip to the app and back.
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
