using Veritensor.Core.Crypto;

namespace Veritensor.Node.Api;

/// <summary>
/// How many blob bytes each uploader stored in the last hour: an account may store at most
/// <see cref="Hosting.NodeOptions.MaxUploadBytesPerHour"/> an hour, so no one key fills the node's disk.
/// </summary>
internal sealed class UploadQuota(Hosting.NodeOptions options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly Dictionary<Address, List<(DateTimeOffset At, long Bytes)>> _uploads = [];

    /// <summary>Reserves <paramref name="bytes"/> for <paramref name="uploader"/>; false when that would pass the hourly quota.</summary>
    public bool TryReserve(Address uploader, long bytes)
    {
        var now = time.GetUtcNow();
        lock (_uploads)
        {
            if (!_uploads.TryGetValue(uploader, out var recent))
                _uploads[uploader] = recent = [];
            recent.RemoveAll(u => now - u.At > Window);
            if (recent.Sum(u => u.Bytes) + bytes > options.MaxUploadBytesPerHour)
                return false;
            recent.Add((now, bytes));
            // Bounded: accounts with nothing in the window are forgotten.
            foreach (var idle in _uploads.Where(e => e.Value.Count == 0).Select(e => e.Key).ToArray())
                _uploads.Remove(idle);
            return true;
        }
    }

    /// <summary>Gives back a reservation whose upload failed.</summary>
    public void Release(Address uploader, long bytes)
    {
        lock (_uploads)
        {
            if (_uploads.TryGetValue(uploader, out var recent))
            {
                var index = recent.FindLastIndex(u => u.Bytes == bytes);
                if (index >= 0)
                    recent.RemoveAt(index);
            }
        }
    }
}
