using Veritensor.Core;
using Veritensor.Core.Crypto;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// What each user may still be charged for requests this gateway answered and has not recorded yet. The ledger debits a
/// user only when the record lands, so without this a user whose balance covers one request could have many served at
/// once (or one after another inside a batch delay) and pay for one. A request is served only when the user's balance,
/// less what it already owes here, covers the request's maximum cost; the reservation ends when its record is in a
/// block (the debit is then on the ledger) or will not be.
/// </summary>
internal sealed class PendingCharges
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Address, Amount> _byUser = [];
    private readonly Dictionary<Hash256, (Address User, Amount Amount)> _byRequest = [];

    /// <summary>What <paramref name="user"/> owes this gateway for answered requests not yet recorded.</summary>
    public Amount Owed(Address user)
    {
        lock (_lock)
            return _byUser.GetValueOrDefault(user, Amount.Zero);
    }

    /// <summary>Whether request <paramref name="requestId"/> holds a reservation (it is being answered, or awaits its record).</summary>
    public bool Holds(Hash256 requestId)
    {
        lock (_lock)
            return _byRequest.ContainsKey(requestId);
    }

    /// <summary>
    /// Reserves <paramref name="amount"/> of <paramref name="user"/>'s <paramref name="balance"/> for request
    /// <paramref name="requestId"/>. False, reserving nothing, when the balance less what the user owes here is short;
    /// <paramref name="owed"/> is then what it owes.
    /// </summary>
    public bool TryReserve(Hash256 requestId, Address user, Amount amount, Amount balance, out Amount owed)
    {
        lock (_lock)
        {
            owed = _byUser.GetValueOrDefault(user, Amount.Zero);
            if (_byRequest.ContainsKey(requestId) || owed > balance || balance - owed < amount)
                return false;
            _byRequest[requestId] = (user, amount);
            _byUser[user] = owed + amount;
            return true;
        }
    }

    /// <summary>Ends the reservation of request <paramref name="requestId"/>; returns its user, or null when it held none.</summary>
    public Address? Release(Hash256 requestId)
    {
        lock (_lock)
        {
            if (!_byRequest.Remove(requestId, out var held))
                return null;
            var left = _byUser[held.User] - held.Amount;
            if (left == Amount.Zero)
                _byUser.Remove(held.User);
            else
                _byUser[held.User] = left;
            return held.User;
        }
    }
}
