using Microsoft.Data.Sqlite;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Storage;

/// <summary>
/// <see cref="IChainStore"/> on SQLite in WAL mode with <c>synchronous=FULL</c>: each block is one SQLite
/// transaction, fsynced before <see cref="CommitBlock"/> returns, so a kill -9 or power cut loses nothing
/// committed. One writer connection; reads open pooled connections and see the last committed block.
/// </summary>
public sealed class SqliteChainStore : IChainStore
{
    private const int SchemaVersion = 1;
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly int _maxTransactionBytes;
    private readonly Lock _writeLock = new();

    public SqliteChainStore(string path, int maxTransactionBytes = 1 << 20)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _maxTransactionBytes = maxTransactionBytes;
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL;");
        Execute(_writer, "PRAGMA synchronous=FULL;");
        Execute(_writer, "PRAGMA cache_size=-65536;");
        Execute(_writer, """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, header BLOB NOT NULL, body BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS transactions (id_prefix INTEGER NOT NULL, height INTEGER NOT NULL, position INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (id_prefix, height, position)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
            """);
        var version = ReadMeta(_writer, "schema_version");
        if (version is null)
            WriteMeta(_writer, null, "schema_version", BitConverter.GetBytes(SchemaVersion));
        else if (BitConverter.ToInt32(version) != SchemaVersion)
            throw new InvalidOperationException($"The database {Path} has schema version {BitConverter.ToInt32(version)}; this build reads version {SchemaVersion}.");
        GenesisHash = ReadMeta(_writer, "genesis_hash") is { } genesis ? new Hash256(genesis) : null;
    }

    public string Path { get; }

    public Hash256? GenesisHash { get; private set; }

    public BlockHeader? ReadHead()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT header, body FROM blocks ORDER BY height DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? Block.Decode((byte[])reader[0], (byte[])reader[1], _maxTransactionBytes).Header : null;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> ReadAllState()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value FROM state";
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return new((byte[])reader[0], (byte[])reader[1]);
    }

    public byte[]? ReadState(byte[] key)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM state WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as byte[];
    }

    public IReadOnlyList<KeyValuePair<byte[], byte[]>> ScanState(byte[] prefix, int limit)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        var upper = PrefixUpperBound(prefix);
        command.CommandText = upper is null
            ? "SELECT key, value FROM state WHERE key >= $lo ORDER BY key LIMIT $limit"
            : "SELECT key, value FROM state WHERE key >= $lo AND key < $hi ORDER BY key LIMIT $limit";
        command.Parameters.AddWithValue("$lo", prefix);
        if (upper is not null) command.Parameters.AddWithValue("$hi", upper);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var result = new List<KeyValuePair<byte[], byte[]>>();
        while (reader.Read()) result.Add(new((byte[])reader[0], (byte[])reader[1]));
        return result;
    }

    public void CommitBlock(Block block, IReadOnlyDictionary<byte[], byte[]?> changes)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(changes);
        var body = block.EncodeBody(out var offsets);
        lock (_writeLock)
        {
            using var transaction = _writer.BeginTransaction();
            using (var insertBlock = _writer.CreateCommand())
            {
                insertBlock.Transaction = transaction;
                insertBlock.CommandText = "INSERT INTO blocks (height, hash, header, body) VALUES ($height, $hash, $header, $body)";
                insertBlock.Parameters.AddWithValue("$height", checked((long)block.Height));
                insertBlock.Parameters.AddWithValue("$hash", block.Hash.ToArray());
                insertBlock.Parameters.AddWithValue("$header", block.EncodeHeaderAndSignature());
                insertBlock.Parameters.AddWithValue("$body", body);
                insertBlock.ExecuteNonQuery();
            }
            InsertTransactionIndex(transaction, block, offsets);
            WriteState(transaction, changes);
            if (block.Height == 0)
                WriteMeta(_writer, transaction, "genesis_hash", block.Hash.ToArray());
            transaction.Commit();
            if (block.Height == 0) GenesisHash = block.Hash;
        }
    }

    /// <summary>
    /// Indexes each transaction under the first 8 bytes of its id (an integer key: compact and fast to insert),
    /// in key order so the B-tree writes stay local. Prefixes may collide, so lookups confirm the full id.
    /// </summary>
    private void InsertTransactionIndex(SqliteTransaction transaction, Block block, int[] offsets)
    {
        var count = block.Transactions.Count;
        if (count == 0) return;
        var rows = new (long Prefix, int Position)[count];
        for (var i = 0; i < count; i++) rows[i] = (IdPrefix(block.Transactions[i].Id), i);
        Array.Sort(rows);
        using var insert = _writer.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO transactions (id_prefix, height, position, offset, length) VALUES ($prefix, $height, $position, $offset, $length)";
        var prefix = insert.Parameters.Add("$prefix", SqliteType.Integer);
        insert.Parameters.AddWithValue("$height", checked((long)block.Height));
        var position = insert.Parameters.Add("$position", SqliteType.Integer);
        var offset = insert.Parameters.Add("$offset", SqliteType.Integer);
        var length = insert.Parameters.Add("$length", SqliteType.Integer);
        insert.Prepare();
        foreach (var (idPrefix, index) in rows)
        {
            prefix.Value = idPrefix;
            position.Value = index;
            offset.Value = offsets[index];
            length.Value = block.Transactions[index].Size;
            insert.ExecuteNonQuery();
        }
    }

    private static long IdPrefix(Hash256 id) => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(id.Span);

    private void WriteState(SqliteTransaction transaction, IReadOnlyDictionary<byte[], byte[]?> changes)
    {
        using var upsert = _writer.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT INTO state (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        var key = upsert.Parameters.Add("$key", SqliteType.Blob);
        var value = upsert.Parameters.Add("$value", SqliteType.Blob);
        upsert.Prepare();
        using var delete = _writer.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM state WHERE key = $key";
        var deleteKey = delete.Parameters.Add("$key", SqliteType.Blob);
        delete.Prepare();
        foreach (var (k, v) in changes.OrderBy(c => c.Key, ByteArrayComparer.Instance))
        {
            if (v is null)
            {
                deleteKey.Value = k;
                delete.ExecuteNonQuery();
            }
            else
            {
                key.Value = k;
                value.Value = v;
                upsert.ExecuteNonQuery();
            }
        }
    }

    public Block? ReadBlock(ulong height) => ReadBlockWhere("height = $v", checked((long)height));

    public Block? ReadBlock(Hash256 hash) => ReadBlockWhere("hash = $v", hash.ToArray());

    private Block? ReadBlockWhere(string condition, object value)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT header, body FROM blocks WHERE {condition}";
        command.Parameters.AddWithValue("$v", value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Block.Decode((byte[])reader[0], (byte[])reader[1], _maxTransactionBytes) : null;
    }

    public TransactionLocation? FindTransaction(Hash256 id)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.height, t.position, b.hash, substr(b.body, t.offset + 1, t.length)
            FROM transactions t JOIN blocks b ON b.height = t.height WHERE t.id_prefix = $prefix
            """;
        command.Parameters.AddWithValue("$prefix", IdPrefix(id));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var encoded = (byte[])reader[3];
            if (Hash256.Compute(encoded) == id)
                return new TransactionLocation((ulong)reader.GetInt64(0), reader.GetInt32(1), new Hash256((byte[])reader[2]), encoded);
        }
        return null;
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static byte[]? PrefixUpperBound(byte[] prefix)
    {
        var upper = (byte[])prefix.Clone();
        for (var i = upper.Length - 1; i >= 0; i--)
        {
            if (upper[i] != 0xFF)
            {
                upper[i]++;
                return upper.AsSpan(0, i + 1).ToArray();
            }
        }
        return null;
    }

    private static byte[]? ReadMeta(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as byte[];
    }

    private static void WriteMeta(SqliteConnection connection, SqliteTransaction? transaction, string key, byte[] value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }
}
