import Foundation

extension PythonTools {
    /// The virtualenv's interpreter, if there.
    public var python: URL? {
        let url = venv.appendingPathComponent("bin/python")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// yt-dlp run in the virtualenv's interpreter under a watch on its parent: once the heaters
    /// process that started it is gone (killed with SIGKILL, so nothing of it could stop the
    /// child), yt-dlp kills its own process group — itself and the ffmpeg it may be running —
    /// within half a second, instead of downloading on, orphaned, into a scratch folder that is
    /// swept. (Linux's PR_SET_PDEATHSIG would fire when the spawning *thread* exits, and the
    /// threads that spawn children here come and go.) The child runs in a process group of its
    /// own (ProcessRunner), so the kill reaches nothing else. An argument vector, not a shell:
    /// the code is one argument, the parent's pid and yt-dlp's arguments the following ones.
    /// Nil when the virtualenv has no interpreter or no yt-dlp.
    public func watchedYtDlp(_ arguments: [String], parent: Int32 = getpid()) -> (executable: URL, arguments: [String])? {
        guard let python, ytDlp != nil else { return nil }
        // -I: isolated, so that a yt_dlp/ or signal.py in the folder heaters was started in
        // (which `-c` would put first on the path) is never imported, nor PYTHON* variables read.
        return (python, ["-I", "-c", Self.parentWatch, String(parent)] + arguments)
    }

    static let parentWatch = """
        import os, signal, sys, threading, time
        parent = int(sys.argv[1])
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os.killpg(os.getpgrp(), signal.SIGKILL)
        threading.Thread(target=watch, daemon=True).start()
        import yt_dlp
        sys.argv = ["yt-dlp"] + sys.argv[2:]
        sys.exit(yt_dlp.main())
        """
}
