using System.Security.Cryptography;
using Veritensor.Core.Crypto;

namespace Veritensor.Inference.Blobs;

/// <summary>
/// Content-addressed files (models, large tensors) named by their SHA-256 in lower-case hex, under
/// <c>{directory}/{first two hex digits}/{hex}</c>. A blob is written to a temporary file in the same directory
/// while it is hashed, flushed to disk, then renamed into place: a crash or a failed check never leaves a partial
/// file under a blob's name, and a name always matches its content.
/// </summary>
public sealed class BlobStore
{
    private const string TempPrefix = ".incoming-";

    public BlobStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string GetPath(Hash256 id)
    {
        var hex = id.ToString();
        return Path.Combine(Directory, hex[..2], hex);
    }

    public bool Contains(Hash256 id) => File.Exists(GetPath(id));

    public Stream OpenRead(Hash256 id)
    {
        var path = GetPath(id);
        return File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous)
            : throw new BlobException($"blob {id} is not in the store");
    }

    public byte[] ReadAllBytes(Hash256 id) =>
        Contains(id) ? File.ReadAllBytes(GetPath(id)) : throw new BlobException($"blob {id} is not in the store");

    public Hash256 Put(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        return PutAsync(stream, data.Length).GetAwaiter().GetResult();
    }

    /// <summary>Streams <paramref name="content"/> into the store and returns its id; throws <see cref="BlobException"/> past <paramref name="maxBytes"/>.</summary>
    public Task<Hash256> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default) =>
        PutAsync(content, maxBytes, expected: null, cancellationToken);

    /// <summary>As <see cref="PutAsync(Stream, long, CancellationToken)"/>, and refuses content that does not hash to <paramref name="expected"/>.</summary>
    public async Task<Hash256> PutAsync(
        Stream content,
        long maxBytes,
        Hash256? expected,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(content);
        var tempPath = Path.Combine(Directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Hash256 id;
            await using (
                var file = new FileStream(
                    tempPath,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None,
                    81920,
                    FileOptions.Asynchronous
                )
            )
            {
                id = await CopyHashingAsync(content, file, maxBytes, expected, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            if (expected is { } want && want != id)
                throw new BlobException(
                    $"blob content hashes to {id}, not to the requested {want}; nothing was stored"
                );
            var finalPath = GetPath(id);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            // Same content, same name: if another writer got there first, its file is as good as ours.
            if (!File.Exists(finalPath))
                File.Move(tempPath, finalPath, overwrite: true);
            else
                // Stored again: it is as fresh as a new upload, so a sweep gives it the full grace period again.
                File.SetLastWriteTimeUtc(finalPath, DateTime.UtcNow);
            return id;
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    /// <summary>
    /// Deletes every blob last written before <paramref name="writtenBefore"/> that <paramref name="keep"/> does not
    /// claim, and every temporary upload file left by a crash before then. Files that are not a blob's are left alone.
    /// Returns how many blobs and bytes were removed.
    /// </summary>
    public (int Blobs, long Bytes) Sweep(Func<Hash256, bool> keep, DateTime writtenBefore)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var (count, bytes) = (0, 0L);
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, TempPrefix + "*"))
            if (File.GetLastWriteTimeUtc(temp) < writtenBefore)
                File.Delete(temp);
        foreach (var shard in System.IO.Directory.EnumerateDirectories(Directory))
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(shard))
            {
                var file = new FileInfo(path);
                if (!Hash256.TryParse(file.Name, out var id) || GetPath(id) != file.FullName)
                    continue;
                if (file.LastWriteTimeUtc >= writtenBefore || keep(id))
                    continue;
                var length = file.Length;
                file.Delete();
                (count, bytes) = (count + 1, bytes + length);
            }
        }
        return (count, bytes);
    }

    private static async Task<Hash256> CopyHashingAsync(
        Stream source,
        Stream destination,
        long maxBytes,
        Hash256? expected,
        CancellationToken cancellationToken
    )
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                var what = expected is { } id ? $"blob {id}" : "blob";
                throw new BlobException($"{what} is larger than the limit of {maxBytes} bytes");
            }
            sha.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
        return new Hash256(sha.GetHashAndReset());
    }
}
