using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Veritensor.Wallet;

/// <summary>
/// Private files for keys: written atomically (temp file created 0600 in the same directory, flushed to disk,
/// renamed over the target, directory fsynced), in directories created 0700, and checked for loose permissions
/// before a secret is read. Unix modes are skipped on Windows.
/// </summary>
internal static class SecureFile
{
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead
        | UnixFileMode.GroupWrite
        | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead
        | UnixFileMode.OtherWrite
        | UnixFileMode.OtherExecute;

    /// <summary>Creates the directory and each missing parent with mode 0700; existing directories are left as they are.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // Directory.CreateDirectory(path, mode) gives the mode to the last directory only, so create top-down.
        var missing = new Stack<string>();
        for (
            var current = Path.GetFullPath(path);
            !Directory.Exists(current);
            current = Path.GetDirectoryName(current)!
        )
        {
            missing.Push(current);
            if (Path.GetDirectoryName(current) is null)
                break;
        }
        while (missing.TryPop(out var directory))
            Directory.CreateDirectory(directory, PrivateDirectoryMode);
    }

    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="contents"/> so that readers see the old file or the new one, never a partial one.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> contents)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        EnsureDirectory(directory);
        var temp = Path.Combine(
            directory,
            $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp"
        );
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = PrivateFileMode;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        TrySyncDirectory(directory);
    }

    /// <summary>
    /// Throws <see cref="WalletException"/> (<see cref="WalletErrorKind.InsecurePermissions"/>) when group or other
    /// permission bits are set on a file that holds a secret. Does nothing on Windows.
    /// </summary>
    public static void EnsurePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
            throw new WalletException(
                WalletErrorKind.InsecurePermissions,
                $"insecure permissions on {path} (mode {FormatMode(mode)}): it holds a secret key and must be readable only by you; run `chmod 600 {path}`"
            );
    }

    public static string FormatMode(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');

    /// <summary>fsyncs a directory so a rename inside it survives a crash. Best effort: false where it cannot be done.</summary>
    public static bool TrySyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
            return false;
        try
        {
            var fd = NativeMethods.Open(
                directory,
                0 /* O_RDONLY */
            );
            if (fd < 0)
                return false;
            try
            {
                return NativeMethods.Fsync(fd) == 0;
            }
            finally
            {
                _ = NativeMethods.Close(fd);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
