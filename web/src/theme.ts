/** Chinese-capable fonts first where the platform has them; Debian's WenQuanYi Micro Hei in CI. */
export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', " +
  "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif";

export const PRIMARY = '#1f6feb';
export const OWNERSHIP_COLORS: Record<string, string> = { public: '#1f6feb', private: '#f6a623' };
