using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Tensors;

namespace Veritensor.Client;

/// <summary>A model as the ledger registers it: what role servers need to run, check and price it.</summary>
public sealed record LedgerModel(
    Hash256 ContentId,
    string Name,
    string Version,
    Address Owner,
    ulong SizeBytes,
    ModelSignature Signature,
    Amount Price,
    VerificationTolerance Tolerance
)
{
    public string Reference => $"{Name}@{Version}";
}

/// <summary>A registered node as role servers see it: its hotkey, public endpoint and the stake behind it.</summary>
public sealed record LedgerNode(Address Hotkey, string Endpoint, Amount Stake);

/// <summary>The chain's head (the anchor a request's verifier selection hangs on) and the largest transaction it accepts.</summary>
public sealed record LedgerHead(string ChainId, Hash256 Genesis, ulong Height, Hash256 Hash, int MaxTransactionBytes);
