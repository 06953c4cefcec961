namespace Veritensor.Ledger.Transactions;

/// <summary>
/// A transaction whose signatures were checked. Only <see cref="Verify"/> and <see cref="VerifyAll"/> make one,
/// so holding this type is proof that the (expensive) check ran exactly once.
/// </summary>
public sealed class VerifiedTransaction
{
    private VerifiedTransaction(SignedTransaction signed) => Signed = signed;

    public SignedTransaction Signed { get; }
    public Transaction Transaction => Signed.Transaction;
    public Core.Crypto.Hash256 Id => Signed.Id;

    /// <summary>Verifies one transaction; throws <see cref="LedgerException"/> with InvalidSignature or InvalidHotkeyProof.</summary>
    public static VerifiedTransaction Verify(SignedTransaction signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        signed.VerifySignatures().ThrowIfInvalid(signed);
        return new VerifiedTransaction(signed);
    }

    /// <summary>Verifies many transactions (on all cores unless <paramref name="parallel"/> is false). Each result is the verified transaction or the reason it failed.</summary>
    public static IReadOnlyList<(VerifiedTransaction? Verified, SignatureCheck Check)> VerifyAll(
        IReadOnlyList<SignedTransaction> transactions,
        bool parallel = true
    )
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var checks = new SignatureCheck[transactions.Count];
        var flags = Core.Crypto.SignatureBatch.VerifyAll(
            Enumerable.Range(0, transactions.Count).ToArray(),
            i =>
            {
                checks[i] = transactions[i].VerifySignatures();
                return checks[i] == SignatureCheck.Valid;
            },
            parallel
        );
        var results = new (VerifiedTransaction?, SignatureCheck)[transactions.Count];
        for (var i = 0; i < transactions.Count; i++)
            results[i] = (flags[i] ? new VerifiedTransaction(transactions[i]) : null, checks[i]);
        return results;
    }
}
