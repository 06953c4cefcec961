using System.Runtime.Versioning;

namespace Veritensor.Wallet.Tests;

[UnitTest]
public sealed class SecureFileTests : IDisposable
{
    private readonly TestDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [UnsupportedOSPlatform("windows")]
    [Fact]
    public void Writing_replaces_the_content_and_tightens_a_loose_existing_file()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var path = _temp.Combine("sub", "file");
        Directory.CreateDirectory(_temp.Combine("sub"));
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(
            path,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
        );

        SecureFile.WriteAtomically(path, "new"u8);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(new[] { "file" }, Directory.GetFileSystemEntries(_temp.Combine("sub")).Select(Path.GetFileName));
    }

    [UnsupportedOSPlatform("windows")]
    [Fact]
    public void Missing_directories_are_created_with_mode_0700()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var path = _temp.Combine("a", "b", "file");
        SecureFile.WriteAtomically(path, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(owner, File.GetUnixFileMode(_temp.Combine("a")));
        Assert.Equal(owner, File.GetUnixFileMode(_temp.Combine("a", "b")));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temp_file()
    {
        var path = _temp.Combine("target");
        Directory.CreateDirectory(path); // a directory where the file should go makes the final rename fail
        Assert.ThrowsAny<IOException>(() => SecureFile.WriteAtomically(path, "x"u8));
        Assert.Equal(new[] { "target" }, Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void The_directory_is_fsynced_on_Linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "directory fsync is checked on Linux");
        Assert.True(SecureFile.TrySyncDirectory(_temp.Path));
        Assert.False(SecureFile.TrySyncDirectory(_temp.Combine("does-not-exist")));
    }
}
