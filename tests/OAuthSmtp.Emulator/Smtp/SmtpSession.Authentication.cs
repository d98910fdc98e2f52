using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>AUTH XOAUTH2 and AUTH LOGIN; the decisions themselves are the submission policy's.</summary>
internal sealed partial class SmtpSession
{
    private async Task<Outcome> AuthAsync(string argument, CancellationToken cancellationToken)
    {
        if (!_tls)
        {
            // No AUTH is advertised before TLS.
            Reply(SmtpReplies.UnrecognizedAuthenticationType);
            return Outcome.Continue;
        }

        if (!_greeted)
        {
            Reply(SmtpReplies.SendHelloFirst);
            return Outcome.Continue;
        }

        if (_principal is not null)
        {
            Reply(SmtpReplies.AlreadyAuthenticated);
            return Outcome.Continue;
        }

        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 0 ? parts[0] : "";
        var initialResponse = parts.Length > 1 ? parts[1].Trim() : null;
        if (Settings.RequireUpperCaseMechanism && mechanism != mechanism.ToUpperInvariant())
        {
            Reply(SmtpReplies.UnrecognizedAuthenticationType);
            return Outcome.Continue;
        }

        switch (mechanism.ToUpperInvariant())
        {
            case "XOAUTH2":
                return await AuthXOAuth2Async(initialResponse, cancellationToken).ConfigureAwait(false);
            case "LOGIN":
                return await AuthLoginAsync(initialResponse, cancellationToken).ConfigureAwait(false);
            default:
                Reply(SmtpReplies.UnrecognizedAuthenticationType);
                return Outcome.Continue;
        }
    }

    private async Task<Outcome> AuthXOAuth2Async(string? initialResponse, CancellationToken cancellationToken)
    {
        var response = initialResponse;
        if (response is null || response == "=")
        {
            // Two-step form: an empty challenge, then the client's blob. Never a JSON challenge (§4).
            Reply(SmtpReplies.SaslEmptyChallenge);
            response = await ReadClientLineAsync(cancellationToken).ConfigureAwait(false);
            if (response is null) return Outcome.Drop;
        }

        if (response.Trim() == "*")
        {
            Reply(SmtpReplies.AuthenticationAborted);
            return Outcome.Continue;
        }

        if (!XOAuth2InitialResponse.TryDecode(response, out var user, out var token))
        {
            Note("XOAUTH2 response malformed");
            Statistics.CountSmtpAuthentication(succeeded: false);
            Reply(Settings.MalformedXOAuth2Reply);
            return Outcome.Continue;
        }

        var decision = _server.Policy.AuthenticateOAuth(user, token);
        Complete(decision);
        return Outcome.Continue;
    }

    private async Task<Outcome> AuthLoginAsync(string? initialResponse, CancellationToken cancellationToken)
    {
        var userResponse = initialResponse;
        if (userResponse is null)
        {
            Reply(SmtpReplies.LoginUsernameChallenge);
            userResponse = await ReadClientLineAsync(cancellationToken).ConfigureAwait(false);
            if (userResponse is null) return Outcome.Drop;
        }

        if (userResponse.Trim() == "*")
        {
            Reply(SmtpReplies.AuthenticationAborted);
            return Outcome.Continue;
        }

        Reply(SmtpReplies.LoginPasswordChallenge);
        var passwordResponse = await ReadClientLineAsync(cancellationToken).ConfigureAwait(false);
        if (passwordResponse is null) return Outcome.Drop;
        if (passwordResponse.Trim() == "*")
        {
            Reply(SmtpReplies.AuthenticationAborted);
            return Outcome.Continue;
        }

        if (!TryDecodeBase64(userResponse, out var user) || !TryDecodeBase64(passwordResponse, out var password))
        {
            Statistics.CountSmtpAuthentication(succeeded: false);
            Reply(SmtpReplies.CannotBase64Decode);
            return Outcome.Continue;
        }

        Complete(_server.Policy.AuthenticateBasic(user, password));
        return Outcome.Continue;
    }

    private void Complete(AuthDecision decision)
    {
        if (decision.Reason is not null) Note("policy: " + decision.Reason);
        Statistics.CountSmtpAuthentication(decision.Accepted);
        Reply(decision.Reply);
        if (!decision.Accepted) return;

        _principal = decision.Principal!;
        _transcript.AuthenticatedMailbox = _principal.Mailbox;
    }

    private static bool TryDecodeBase64(string text, out string value)
    {
        value = "";
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var length)) return false;
        value = Encoding.UTF8.GetString(buffer, 0, length);
        return true;
    }
}
