using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>MAIL FROM and RCPT TO with their parameters (RFC 5321, 1870, 3461, 6152, 6531).</summary>
internal sealed partial class SmtpSession
{
    private void MailFrom(string argument)
    {
        if (!_greeted)
        {
            Reply(SmtpReplies.SendHelloFirst);
            return;
        }

        if (_principal is null)
        {
            Reply(Settings.UseLegacyNotAuthenticatedText ? SmtpReplies.NotAuthenticatedLegacy : $"{SmtpReplies.NotAuthenticated} {HostTag()}");
            return;
        }

        if (_mailFrom is not null)
        {
            Reply(SmtpReplies.SenderAlreadySpecified);
            return;
        }

        if (!Settings.ContinuousErrorReplyAtEndOfData && ThrottledReply() is { } throttled)
        {
            Reply(throttled);
            return;
        }

        var command = SmtpEnvelopeCommand.TryParse(argument, "FROM");
        if (command is null)
        {
            Reply(SmtpReplies.InvalidArguments);
            return;
        }

        if (command.Address.Length > 0 && !SmtpEnvelopeCommand.IsMailboxAddress(command.Address))
        {
            Reply(SmtpReplies.InvalidSenderAddress);
            return;
        }

        foreach (var (name, value) in command.Parameters)
        {
            var problem = CheckMailParameter(name.ToUpperInvariant(), value);
            if (problem is not null)
            {
                Reply(problem);
                return;
            }
        }

        var refusal = _server.Policy.CheckMailFrom(_principal, command.Address);
        if (refusal is not null)
        {
            Reply(refusal);
            return;
        }

        _mailFrom = command.Address;
        _mailParameters = new Dictionary<string, string?>(command.Parameters, StringComparer.OrdinalIgnoreCase);
        Reply(SmtpReplies.SenderOk);
    }

    private string? CheckMailParameter(string name, string? value)
    {
        switch (name)
        {
            case "SIZE":
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return SmtpReplies.InvalidArguments;
                return size > Settings.MaxMessageSize ? SmtpReplies.MessageTooLarge : null;
            case "BODY":
                return value?.ToUpperInvariant() is "7BIT" or "8BITMIME" or "BINARYMIME" ? null : SmtpReplies.InvalidArguments;
            case "SMTPUTF8":
                return value is null ? null : SmtpReplies.InvalidArguments;
            case "RET":
                return value?.ToUpperInvariant() is "FULL" or "HDRS" ? null : SmtpReplies.InvalidArguments;
            case "ENVID":
                return string.IsNullOrEmpty(value) || value.Length > 100 ? SmtpReplies.InvalidArguments : null;
            case "AUTH":
                return null;
            default:
                return SmtpReplies.UnsupportedParameter(name);
        }
    }

    private void RcptTo(string argument)
    {
        if (_principal is null)
        {
            Reply(Settings.UseLegacyNotAuthenticatedText ? SmtpReplies.NotAuthenticatedLegacy : $"{SmtpReplies.NotAuthenticated} {HostTag()}");
            return;
        }

        if (_mailFrom is null)
        {
            Reply(SmtpReplies.NeedMailCommand);
            return;
        }

        var command = SmtpEnvelopeCommand.TryParse(argument, "TO");
        if (command is null || !SmtpEnvelopeCommand.IsMailboxAddress(command.Address))
        {
            Reply(command is null ? SmtpReplies.InvalidArguments : SmtpReplies.InvalidRecipientAddress);
            if (command is not null) CountError(ContinuousErrorKind.InvalidRecipients);
            return;
        }

        foreach (var (name, value) in command.Parameters)
        {
            var upper = name.ToUpperInvariant();
            var valid = upper switch
            {
                "NOTIFY" => IsValidNotify(value),
                "ORCPT" => value is not null && value.Contains(';', StringComparison.Ordinal),
                _ => false,
            };
            if (!valid)
            {
                Reply(upper is "NOTIFY" or "ORCPT" ? SmtpReplies.InvalidArguments : SmtpReplies.UnsupportedParameter(name));
                return;
            }
        }

        if (Faults.TryConsumeServerBusy())
        {
            Note("server busy: recipient refused for now");
            Reply(SmtpReplies.ServerBusy(_clientAddress));
            return;
        }

        var refusal = _server.Policy.CheckRecipient(_principal, _clientAddress, command.Address);
        if (refusal is not null)
        {
            Reply(refusal);
            return;
        }

        if (_recipients.Count >= Settings.MaxRecipientsPerMessage)
        {
            Reply(SmtpReplies.TooManyRecipients);
            CountError(ContinuousErrorKind.TooManyRecipients);
            return;
        }

        _recipients.Add(command.Address);
        Reply(SmtpReplies.RecipientOk);
    }

    private static bool IsValidNotify(string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        var items = value.ToUpperInvariant().Split(',');
        if (items.Contains("NEVER")) return items.Length == 1;
        return items.All(i => i is "SUCCESS" or "FAILURE" or "DELAY");
    }

    private string? TransactionProblem()
    {
        if (_principal is null) return Settings.UseLegacyNotAuthenticatedText ? SmtpReplies.NotAuthenticatedLegacy : $"{SmtpReplies.NotAuthenticated} {HostTag()}";
        if (_mailFrom is null) return SmtpReplies.NeedMailCommand;
        if (_recipients.Count == 0) return SmtpReplies.NeedRcptCommand;
        return null;
    }
}
