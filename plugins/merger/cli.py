"""`invoke merge`: plan, tell, write."""

from __future__ import annotations

from plugins.contract.problems import ERROR, format_report

from . import core
from .merge import MergeRefused, Plan, plan, verify, write
from .settings import MergeOptions


def run(options: MergeOptions) -> Plan:
    """Merge (or, with ``dry_run``, only tell what the merge would do); ``MergeRefused`` says why not."""
    try:
        return _run(options)
    except OSError as exc:
        raise MergeRefused(f"Không đọc hoặc ghi được {exc.filename or ''}: {exc.strerror or exc}; hãy kiểm tra quyền "
                           "đọc, ghi và chỗ trống trên đĩa rồi chạy lại") from None


def _run(options: MergeOptions) -> Plan:
    result = plan(options)
    for problem in sorted(result.problems):
        print(f"{options.other.name}/{problem}")
    if any(p.severity == ERROR for p in result.problems):
        raise MergeRefused("Không gộp: hãy sửa các lỗi trên rồi chạy lại.")
    print(summary(result))
    if options.dry_run:
        print("Chạy thử (--dry-run): chưa ghi gì.")
        return result
    written = write(result)
    found = verify(options.content)
    errors = [p for p in found if p.severity == ERROR]
    if errors:
        print(format_report(found) + "\nBản gộp còn lỗi ở trên: hãy sửa trước khi commit.")
    print(f"Đã ghi {len(written)} tệp vào {options.content} và bản đồ chuyển hướng {options.map_file}.\n"
          "Việc tiếp theo:\n"
          f"  1. Kiểm tra: python3 tasks.py check --content {options.content}\n"
          "  2. Xem thử: python3 tasks.py serve, mở báo cáo năm trước khi gộp để đối chiếu.\n"
          "  3. Commit toàn bộ thư mục nội dung (một commit riêng cho bản gộp).\n"
          f"  4. Chép {options.map_file.name} lên máy chủ của tên miền cũ, thêm đoạn sau vào cấu hình nginx:\n"
          + _indented(core.nginx_server(core.nginx_variable(options.label), options.domain, options.map_file.name)))
    return result


def summary(result: Plan) -> str:
    maps, options = result.maps, result.options
    same = f", trong đó {len(maps.same_units)} là đơn vị đã có ở đây (tệp ánh xạ)" if maps.same_units else ""
    moved = [p for p in result.placements if p.slug]
    lines = [f"Gộp {options.other} vào {options.content} từ ngày {core.vi_day(options.day)}:",
             f"  {len(maps.units)} đơn vị{same}; đơn vị cấp tỉnh bên kia sáp nhập vào '{result.under}'",
             f"  {len(maps.campaigns)} chiến dịch, {len(maps.sections)} chuyên mục",
             f"  {len(result.placements)} bài viết và trang; {len(moved)} bài đổi địa chỉ vì địa chỉ cũ đã có chủ ở đây"
             + (":" if moved else "")]
    lines += [f"    /{p.old_url} → /{p.url} ({p.target})" for p in moved]
    lines += [f"  ảnh, tệp trùng tên: {old} → {new}" for old, new in sorted(result.moved_files.items())]
    lines.append(f"  {result.new_files} tệp mới; tệp sửa: "
                 + (", ".join(r for r in sorted(result.writes) if "/" not in r) or "không có"))
    return "\n".join(lines)


def _indented(text: str) -> str:
    return "".join(f"     {line}\n" for line in text.splitlines())
