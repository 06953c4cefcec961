namespace Veritensor.Ledger.State;

/// <summary>Reads and writes raw state entries; the typed accessors in <see cref="StateAccessors"/> sit on top.</summary>
public interface IStateView
{
    byte[]? Get(byte[] key);
    void Set(byte[] key, byte[] value);
    void Delete(byte[] key);
}
