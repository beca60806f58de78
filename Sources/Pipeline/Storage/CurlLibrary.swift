import CCurl

/// Facts about the linked libcurl, for `heaters doctor`.
public enum CurlLibrary {
    public static var version: String { String(cString: heaters_curl_version_info().pointee.version) }

    /// Whether it can sign S3 requests (AWS SigV4 needs libcurl 7.75 or later).
    public static var supportsSigV4: Bool { heaters_curl_version_info().pointee.version_num >= 0x074B00 }
}
