import Foundation

extension S3ObjectStore {
    /// An unfinished multipart upload under the store's prefix.
    public struct Upload: Sendable, Equatable {
        public var key: String
        public var uploadID: String
        public var initiated: Date?
    }

    /// The multipart uploads under the store's prefix that were started and neither completed
    /// nor aborted (a process killed mid-upload leaves one, and S3 bills its parts forever).
    public func unfinishedUploads() throws -> [Upload] {
        var uploads: [Upload] = []
        var markers: (key: String, id: String)?
        repeat {
            var query = [("uploads", ""), ("prefix", prefix.isEmpty ? "" : prefix + "/")]
            if let markers { query += [("key-marker", markers.key), ("upload-id-marker", markers.id)] }
            let body = String(decoding: try expect(request("GET", url: bucketURL, query: query), [200], "list uploads").body, as: UTF8.self)
            for match in body.matches(of: /<Upload>(.*?)<\/Upload>/.dotMatchesNewlines()) {
                let entry = String(match.1)
                guard let key = entry.firstMatch(of: /<Key>([^<]*)<\/Key>/).map({ Self.xmlUnescaped(String($0.1)) }),
                      let id = entry.firstMatch(of: /<UploadId>([^<]*)<\/UploadId>/).map({ Self.xmlUnescaped(String($0.1)) })
                else { continue }
                let initiated = entry.firstMatch(of: /<Initiated>([^<]*)<\/Initiated>/).flatMap { Self.isoDate(String($0.1)) }
                uploads.append(Upload(key: key, uploadID: id, initiated: initiated))
            }
            markers = body.contains("<IsTruncated>true</IsTruncated>")
                ? body.firstMatch(of: /<NextKeyMarker>([^<]*)<\/NextKeyMarker>/).flatMap { key in
                    body.firstMatch(of: /<NextUploadIdMarker>([^<]*)<\/NextUploadIdMarker>/).map {
                        (Self.xmlUnescaped(String(key.1)), Self.xmlUnescaped(String($0.1)))
                    }
                }
                : nil
        } while markers != nil
        return uploads
    }

    /// Aborts the unfinished uploads started more than `age` seconds ago (a day by default:
    /// longer than any upload in progress on another machine takes). Returns those aborted.
    @discardableResult
    public func abortAbandonedUploads(olderThan age: TimeInterval = 86_400, now: Date = Date()) throws -> [Upload] {
        var aborted: [Upload] = []
        for upload in try unfinishedUploads() where now.timeIntervalSince(upload.initiated ?? now) >= age {
            let path = upload.key.split(separator: "/").map { Self.uriEncoded(String($0)) }.joined(separator: "/")
            try expect(request("DELETE", url: "\(bucketURL)/\(path)", query: [("uploadId", upload.uploadID)]), [204, 200, 404],
                       "abort upload of \(upload.key)")
            aborted.append(upload)
        }
        return aborted
    }

    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
