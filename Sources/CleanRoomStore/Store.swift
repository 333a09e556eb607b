// Placeholder replaced by the store work.
public enum StorePlaceholder {}
