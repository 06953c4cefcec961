using Microsoft.Data.Sqlite;
using SQLitePCL;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Storage;

namespace Veritensor.Ledger.Sqlite;

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
        Execute(
            _writer,
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, header BLOB NOT NULL, body BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS transactions (id_prefix INTEGER NOT NULL, height INTEGER NOT NULL, position INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (id_prefix, height, position)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
            """
        );
        var version = ReadMeta(_writer, "schema_version");
        if (version is null)
        {
            var encoded = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(encoded, SchemaVersion);
            WriteMeta(_writer, null, "schema_version", encoded);
        }
        else if (
            version.Length != 4
            || System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(version) != SchemaVersion
        )
        {
            throw new InvalidOperationException(
                $"The database {Path} has an unknown schema version; this build reads version {SchemaVersion}."
            );
        }
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
        while (reader.Read())
            yield return new((byte[])reader[0], (byte[])reader[1]);
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
        using var connection = OpenReader();
        return Scan(connection, null, prefix, null, limit);
    }

    public IStateSnapshot OpenStateSnapshot() => new Snapshot(OpenReader());

    private static IReadOnlyList<KeyValuePair<byte[], byte[]>> Scan(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        byte[] prefix,
        byte[]? after,
        int limit
    )
    {
        ArgumentNullException.ThrowIfNull(prefix);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var upper = PrefixUpperBound(prefix);
        var from = after is null ? "key >= $lo" : "key >= $lo AND key > $after";
        command.CommandText = upper is null
            ? $"SELECT key, value FROM state WHERE {from} ORDER BY key LIMIT $limit"
            : $"SELECT key, value FROM state WHERE {from} AND key < $hi ORDER BY key LIMIT $limit";
        command.Parameters.AddWithValue("$lo", prefix);
        if (after is not null)
            command.Parameters.AddWithValue("$after", after);
        if (upper is not null)
            command.Parameters.AddWithValue("$hi", upper);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var result = new List<KeyValuePair<byte[], byte[]>>();
        while (reader.Read())
            result.Add(new((byte[])reader[0], (byte[])reader[1]));
        return result;
    }

    /// <summary>One read transaction on its own connection: in WAL mode every read in it sees the same committed block.</summary>
    private sealed class Snapshot : IStateSnapshot
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;

        public Snapshot(SqliteConnection connection)
        {
            _connection = connection;
            _transaction = connection.BeginTransaction(deferred: true);
        }

        public byte[]? Get(byte[] key)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = "SELECT value FROM state WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as byte[];
        }

        public IReadOnlyList<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix, byte[]? after, int limit) =>
            SqliteChainStore.Scan(_connection, _transaction, prefix, after, limit);

        public void Set(byte[] key, byte[] value) =>
            throw new InvalidOperationException("A state snapshot is read-only.");

        public void Delete(byte[] key) => throw new InvalidOperationException("A state snapshot is read-only.");

        public void Dispose()
        {
            _transaction.Dispose();
            _connection.Dispose();
        }
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
                insertBlock.CommandText =
                    "INSERT INTO blocks (height, hash, header, body) VALUES ($height, $hash, $header, $body)";
                insertBlock.Parameters.AddWithValue("$height", checked((long)block.Height));
                insertBlock.Parameters.AddWithValue("$hash", block.Hash.ToArray());
                insertBlock.Parameters.AddWithValue("$header", block.EncodeHeaderAndSignature());
                insertBlock.Parameters.AddWithValue("$body", body);
                insertBlock.ExecuteNonQuery();
            }
            InsertTransactionIndex(block, offsets);
            WriteState(changes);
            if (block.Height == 0)
                WriteMeta(_writer, transaction, "genesis_hash", block.Hash.ToArray());
            transaction.Commit();
            if (block.Height == 0)
                GenesisHash = block.Hash;
        }
    }

    /// <summary>
    /// Indexes each transaction under the first 8 bytes of its id (an integer key: compact and fast to insert),
    /// in key order so the B-tree writes stay local. Prefixes may collide, so lookups confirm the full id.
    /// This is the one per-transaction write of a commit, so it binds and steps a prepared statement through
    /// SQLitePCLRaw directly (the layer Microsoft.Data.Sqlite itself sits on), inside the same transaction.
    /// </summary>
    private void InsertTransactionIndex(Block block, int[] offsets)
    {
        var count = block.Transactions.Count;
        if (count == 0)
            return;
        var rows = new (long Prefix, int Position)[count];
        for (var i = 0; i < count; i++)
            rows[i] = (IdPrefix(block.Transactions[i].Id), i);
        Array.Sort(rows);
        var database = _writer.Handle!;
        Check(
            database,
            raw.sqlite3_prepare_v2(
                database,
                "INSERT INTO transactions (id_prefix, height, position, offset, length) VALUES (?1, ?2, ?3, ?4, ?5)",
                out var statement
            )
        );
        using (statement)
        {
            var height = checked((long)block.Height);
            foreach (var (prefix, position) in rows)
            {
                raw.sqlite3_bind_int64(statement, 1, prefix);
                raw.sqlite3_bind_int64(statement, 2, height);
                raw.sqlite3_bind_int(statement, 3, position);
                raw.sqlite3_bind_int(statement, 4, offsets[position]);
                raw.sqlite3_bind_int(statement, 5, block.Transactions[position].Size);
                if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
                    throw new SqliteException(
                        $"Indexing transaction {block.Transactions[position].Id} failed: {raw.sqlite3_errmsg(database).utf8_to_string()}",
                        raw.sqlite3_errcode(database)
                    );
                raw.sqlite3_reset(statement);
            }
        }
    }

    private static void Check(SQLitePCL.sqlite3 database, int result)
    {
        if (result != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(database).utf8_to_string(), result);
    }

    private static long IdPrefix(Hash256 id) => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(id.Span);

    /// <summary>Upserts and deletes a block's state changes in key order, through prepared SQLitePCLRaw statements like the index.</summary>
    private void WriteState(IReadOnlyDictionary<byte[], byte[]?> changes)
    {
        var database = _writer.Handle!;
        Check(
            database,
            raw.sqlite3_prepare_v2(
                database,
                "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                out var upsert
            )
        );
        using (upsert)
        {
            Check(database, raw.sqlite3_prepare_v2(database, "DELETE FROM state WHERE key = ?1", out var delete));
            using (delete)
            {
                foreach (var (key, value) in changes.OrderBy(c => c.Key, ByteArrayComparer.Instance))
                {
                    var statement = value is null ? delete : upsert;
                    raw.sqlite3_bind_blob(statement, 1, key);
                    if (value is not null)
                        raw.sqlite3_bind_blob(statement, 2, value);
                    if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
                        throw new SqliteException(
                            $"Writing state failed: {raw.sqlite3_errmsg(database).utf8_to_string()}",
                            raw.sqlite3_errcode(database)
                        );
                    raw.sqlite3_reset(statement);
                }
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
                return new TransactionLocation(
                    (ulong)reader.GetInt64(0),
                    reader.GetInt32(1),
                    new Hash256((byte[])reader[2]),
                    encoded
                );
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
        command.CommandText =
            "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
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
