namespace Veritensor.Ledger.Transactions;

/// <summary>The outcome of <see cref="SignedTransaction.VerifySignatures"/>.</summary>
public enum SignatureCheck
{
    Valid,
    InvalidSignature,
    InvalidHotkeyProof,
}

public static class SignatureCheckExtensions
{
    /// <summary>Throws the matching <see cref="LedgerException"/> unless the check passed.</summary>
    public static void ThrowIfInvalid(this SignatureCheck check, SignedTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        switch (check)
        {
            case SignatureCheck.Valid:
                return;
            case SignatureCheck.InvalidHotkeyProof:
                throw new LedgerException(
                    ErrorCode.InvalidHotkeyProof,
                    $"Transaction {transaction.Id}: the hotkey's proof of consent does not verify."
                );
            default:
                throw new LedgerException(
                    ErrorCode.InvalidSignature,
                    $"Transaction {transaction.Id}: the signature does not verify for sender {transaction.Transaction.Sender}."
                );
        }
    }
}
