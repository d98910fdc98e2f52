using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using SmtpServer;
using SmtpServer.Authentication;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// AUTH PLAIN/LOGIN against the devices' stored verifiers. Refuses cleartext AUTH except from loopback and the
/// ranges the admin allowed, a device connecting from outside its sources, and any source or user name locked out
/// after too many failures. The password is compared and forgotten; it is never logged.
/// </summary>
internal sealed class DeviceAuthenticator : IUserAuthenticator
{
    private readonly DeviceDirectory _devices;
    private readonly InboundRefusals _refusals;
    private readonly AuthLockout _lockout;

    public DeviceAuthenticator(DeviceDirectory devices, InboundRefusals refusals, AuthLockout lockout)
    {
        _devices = devices;
        _refusals = refusals;
        _lockout = lockout;
    }

    public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
    {
        var address = InboundRefusals.RemoteAddress(context);
        var limits = _devices.Settings.Limits;
        var sourceKey = "source:" + address;
        var userKey = "user:" + user;
        InboundRefusals.SetDevice(context, null);

        if (!context.Pipe.IsSecure && !_devices.IsCleartextAuthAllowed(address))
        {
            throw _refusals.Refuse(context, 538, "5.7.11 Encryption required: send STARTTLS before AUTH", "CleartextAuthRefused");
        }

        if ((_lockout.LockedUntil(sourceKey) ?? _lockout.LockedUntil(userKey)) is { } until)
        {
            throw _refusals.Refuse(context, 454, string.Format(CultureInfo.InvariantCulture, "4.7.0 Too many failed logins; locked out until {0:HH:mm:ss} UTC", until.UtcDateTime), "AuthLockedOut", quit: true);
        }

        var device = _devices.ByUserName(user ?? string.Empty);
        var ok = device is not null
            && device.AllowsSource(address)
            && device.Credential is not null
            && device.Credential.Matches(password);
        if (!ok)
        {
            var lockout = TimeSpan.FromSeconds(limits.LockoutSeconds);
            var lockedNow = _lockout.Fail(sourceKey, limits.AuthFailuresBeforeLockout, lockout) ?? _lockout.Fail(userKey, limits.AuthFailuresBeforeLockout, lockout);
            var reason = device is null ? "UnknownUser" : !device.AllowsSource(address) ? "DeviceSourceNotAllowed" : "WrongCredential";
            if (lockedNow is { } end)
            {
                throw _refusals.Refuse(context, 454, string.Format(CultureInfo.InvariantCulture, "4.7.0 Too many failed logins; locked out until {0:HH:mm:ss} UTC", end.UtcDateTime), reason + ";AuthLockedOut", quit: true);
            }

            throw _refusals.Refuse(context, 535, "5.7.8 Authentication credentials invalid", reason);
        }

        _lockout.Succeed(sourceKey);
        _lockout.Succeed(userKey);
        InboundRefusals.SetDevice(context, device);
        return Task.FromResult(true);
    }
}
