using System.Globalization;
using System.Text.RegularExpressions;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Messages;

namespace Iot.Contracts.Validation;

/// <summary>
/// The rules of contract v1 that a type system cannot say: ids, check characters, units per measurement type,
/// value and quality agreeing, counts and lengths. The JSON Schemas say the same where JSON Schema can; check
/// characters and EPC decoding it cannot, so those vectors are marked in <c>vectors/manifest.json</c>.
/// </summary>
public static partial class MessageRules
{
    /// <summary>Every rule <paramref name="message"/> breaks; empty when it keeps them all.</summary>
    public static IReadOnlyList<ContractError> Check(ContractMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var v = new Checker();
        string expectedSchema = message switch
        {
            ReadingsMessage => MessageSchemas.Readings,
            EventsMessage => MessageSchemas.Events,
            StatusMessage => MessageSchemas.Status,
            CommandMessage => MessageSchemas.Command,
            _ => MessageSchemas.CommandResult,
        };

        if (!string.Equals(message.Schema, expectedSchema, StringComparison.Ordinal))
        {
            v.Add("$.schema", $"schema is '{message.Schema}', expected '{expectedSchema}'");
        }

        v.Id("$.gatewayId", message.GatewayId, "gateway id");
        if (message.Seq is < 1 or > MessageSchemas.MaxSeq)
        {
            v.Add("$.seq", $"seq must be 1 to {MessageSchemas.MaxSeq} (2^53-1), got {message.Seq}");
        }

        switch (message)
        {
            case ReadingsMessage readings:
                CheckReadings(v, readings);
                break;
            case EventsMessage events:
                CheckEvents(v, events);
                break;
            case StatusMessage status:
                CheckStatus(v, status);
                break;
            case CommandMessage command:
                CheckCommand(v, command);
                break;
            case CommandResultMessage result:
                v.Id("$.commandId", result.CommandId, "command id");
                v.Id("$.name", result.Name, "command name");
                v.Text("$.detail", result.Detail);
                break;
        }

        return v.Errors;
    }

    static void CheckReadings(Checker v, ReadingsMessage m)
    {
        if (!v.Count("$.readings", m.Readings, MessageSchemas.MaxReadings, "readings"))
        {
            return;
        }

        for (int i = 0; i < m.Readings.Count; i++)
        {
            var at = new JsonPathTo("$.readings", i);
            var r = m.Readings[i];
            v.Id(at.Field("sensorId"), r.SensorId, "sensor id");
            v.Id(at.Field("zone"), r.Zone, "zone");
            if (!MeasurementTypes.Accepts(r.Type, r.Unit))
            {
                v.Add(at.Field("unit"), $"unit {r.Unit.Code()} does not measure {r.Type}; use {string.Join(" or ", MeasurementTypes.UnitsOf(r.Type).Select(u => u.Code()))}");
            }

            if (r.Quality == ReadingQuality.Bad)
            {
                if (r.Value is not null)
                {
                    v.Add(at.Field("value"), "a bad reading has no value: a failed read must never carry a stale or made-up number");
                }

                if (string.IsNullOrWhiteSpace(r.Error))
                {
                    v.Add(at.Field("error"), "a bad reading must say why in \"error\"");
                }
            }
            else
            {
                if (r.Value is null)
                {
                    v.Add(at.Field("value"), $"a {Word(r.Quality)} reading needs a value; a failed read is quality \"bad\"");
                }
                else
                {
                    v.Finite(at.Field("value"), r.Value.Value);
                }

                if (r.Error is not null)
                {
                    v.Add(at.Field("error"), "only a bad reading has an error");
                }
            }

            v.Text(at.Field("error"), r.Error);
            v.TraceCodes(at.Field("traceCodes"), r.TraceCodes);
        }
    }

    static void CheckEvents(Checker v, EventsMessage m)
    {
        if (!v.Count("$.events", m.Events, MessageSchemas.MaxEvents, "events"))
        {
            return;
        }

        for (int i = 0; i < m.Events.Count; i++)
        {
            var at = new JsonPathTo("$.events", i);
            var e = m.Events[i];
            v.Id(at.Field("zone"), e.Zone, "zone");
            v.TraceCodes(at.Field("traceCodes"), e.TraceCodes);
            switch (e)
            {
                case BatchMovedEvent moved:
                    v.Batch(at.Field("batch"), moved.Batch);
                    v.CardSource(at, moved.By, moved.Card);
                    break;
                case CrateEvent crate:
                    v.Batch(at.Field("batch"), crate.Batch);
                    v.Tag(at.Field("crate"), crate.Crate);
                    break;
                case WeighedEvent weighed:
                    v.Batch(at.Field("batch"), weighed.Batch);
                    if (weighed.Crate is not null)
                    {
                        v.Tag(at.Field("crate"), weighed.Crate);
                    }

                    v.Id(at.Field("scaleId"), weighed.ScaleId, "scale id");
                    v.Amount(at.Field("net"), weighed.Net, MeasurementType.Mass);
                    if (weighed.Tare is not null)
                    {
                        v.Amount(at.Field("tare"), weighed.Tare, MeasurementType.Mass);
                    }

                    break;
                case InputAppliedEvent input:
                    CheckInput(v, at, input);
                    break;
            }
        }
    }

    static void CheckInput(Checker v, JsonPathTo at, InputAppliedEvent input)
    {
        bool isMass = MeasurementTypes.Accepts(MeasurementType.Mass, input.Amount.Unit);
        bool isVolume = MeasurementTypes.Accepts(MeasurementType.Volume, input.Amount.Unit) || input.Amount.Unit == Unit.Millilitre;
        if (!isMass && !isVolume)
        {
            v.Add(at.Field("amount.unit"), $"an input amount is a mass (KGM, GRM) or a volume (LTR, MLT, MTQ), not {input.Amount.Unit.Code()}");
        }
        else if (!isVolume && input.Input is InputKind.Irrigation or InputKind.Fertigation)
        {
            v.Add(at.Field("amount.unit"), $"{Word(input.Input)} is measured as a volume (LTR, MLT, MTQ), not {input.Amount.Unit.Code()}");
        }

        v.NonNegative(at.Field("amount.value"), input.Amount.Value);
        v.Text(at.Field("product"), input.Product);
        v.Text(at.Field("operator"), input.Operator);
        if (input.SensorId is not null)
        {
            v.Id(at.Field("sensorId"), input.SensorId, "sensor id");
        }

        if (input.Input is InputKind.Fertiliser or InputKind.Pesticide && string.IsNullOrWhiteSpace(input.Product))
        {
            v.Add(at.Field("product"), $"a {Word(input.Input)} input must name its product");
        }

        if (input.Input == InputKind.Pesticide)
        {
            if (input.RegistrationNumber is null)
            {
                v.Add(at.Field("registrationNumber"), "a pesticide input needs its registration number (农药登记证号), e.g. PD20080001");
            }
            else if (!PesticideRegistration().IsMatch(input.RegistrationNumber))
            {
                v.Add(at.Field("registrationNumber"),
                    $"'{Printable(input.RegistrationNumber)}' is not a pesticide registration number: expected PD, WP, LS or WL, then 5 to 8 digits, optionally -N (e.g. PD20080001)");
            }
        }
        else if (input.RegistrationNumber is not null)
        {
            v.Add(at.Field("registrationNumber"), "only a pesticide input has a registration number");
        }
    }

    static void CheckStatus(Checker v, StatusMessage m)
    {
        v.Text("$.version", m.Version);
        if (m.Outbox is { } outbox)
        {
            v.NonNegative("$.outbox.depth", outbox.Depth);
            v.NonNegative("$.outbox.oldestAgeSeconds", outbox.OldestAgeSeconds);
            v.NonNegative("$.outbox.droppedReadings", outbox.DroppedReadings);
        }

        if (m.Sensors is { } sensors)
        {
            for (int i = 0; i < sensors.Count; i++)
            {
                v.Id(new JsonPathTo("$.sensors", i, "sensorId"), sensors[i].SensorId, "sensor id");
                v.NonNegative(new JsonPathTo("$.sensors", i, "failedReads"), sensors[i].FailedReads);
            }
        }
    }

    static void CheckCommand(Checker v, CommandMessage m)
    {
        v.Id("$.commandId", m.CommandId, "command id");
        if (m.ExpiresAt is { } expires && expires <= m.IssuedAt)
        {
            v.Add("$.expiresAt", "a command must expire after it was issued");
        }

        switch (m)
        {
            case SetBatchCommand set:
                v.Id("$.zone", set.Zone, "zone");
                if (set.Batch is not null)
                {
                    v.Batch("$.batch", set.Batch);
                }

                break;
            case TareCommand tare:
                v.Id("$.scaleId", tare.ScaleId, "scale id");
                break;
        }
    }

    static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    internal static string Printable(string text)
    {
        var sb = new System.Text.StringBuilder(Math.Min(text.Length, 40));
        foreach (char c in text.Length > 40 ? text[..40] : text)
        {
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.Length > 40 ? sb.Append('…').ToString() : sb.ToString();
    }

    [GeneratedRegex("^(PD|WP|LS|WL)[0-9]{5,8}(-[0-9]{1,2})?$")]
    private static partial Regex PesticideRegistration();

    /// <summary>
    /// A JSON path written out only when an error needs it: <c>$.readings[3].traceCodes[0]</c> is held as its parts
    /// (<c>$.readings</c>, 3, <c>traceCodes</c>, 0), so checking a valid message of 500 readings builds no strings.
    /// </summary>
    readonly struct JsonPathTo
    {
        readonly string _root;
        readonly int _index;
        readonly string? _field;
        readonly int _item;

        public JsonPathTo(string root, int index = -1, string? field = null, int item = -1)
        {
            _root = root;
            _index = index;
            _field = field;
            _item = item;
        }

        public static implicit operator JsonPathTo(string path) => new(path);

        public JsonPathTo Field(string name) => _item >= 0
            ? new JsonPathTo($"{this}.{name}")
            : new JsonPathTo(_root, _index, _field is null ? name : $"{_field}.{name}");

        public JsonPathTo Item(int item) => _item >= 0 ? new JsonPathTo($"{this}[{item}]") : new JsonPathTo(_root, _index, _field, item);

        public override string ToString()
        {
            string path = _index >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{_root}[{_index}]") : _root;
            if (_field is not null)
            {
                path = $"{path}.{_field}";
            }

            return _item >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{path}[{_item}]") : path;
        }
    }

    /// <summary>Collects errors with their paths.</summary>
    sealed class Checker
    {
        public List<ContractError> Errors { get; } = [];

        public void Add(JsonPathTo path, string reason) => Errors.Add(new ContractError(path.ToString(), reason));

        public void Id(JsonPathTo path, string? value, string kind)
        {
            if (!LocalId.IsValid(value, kind, out var error))
            {
                Add(path, error);
            }
        }

        /// <summary>Codes already found valid in this message: a batch of readings repeats the same few codes.</summary>
        readonly HashSet<string> _validCodes = new(StringComparer.Ordinal);

        public void Batch(JsonPathTo path, string? value)
        {
            if (value is not null && _validCodes.Contains(value))
            {
                return;
            }

            if (!BatchTraceCode.TryParse(value, out _, out var error))
            {
                Add(path, error);
            }
            else
            {
                _validCodes.Add(value!);
            }
        }

        public void TraceCodes(JsonPathTo path, IReadOnlyList<string> codes)
        {
            if (codes.Count > MessageSchemas.MaxTraceCodes)
            {
                Add(path, $"at most {MessageSchemas.MaxTraceCodes} trace codes, got {codes.Count}");
                return;
            }

            // Most readings carry one code: no set is needed to find a repeat among fewer than two.
            var seen = codes.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
            for (int i = 0; i < codes.Count; i++)
            {
                Batch(path.Item(i), codes[i]);
                if (seen is not null && codes[i] is not null && !seen.Add(codes[i]))
                {
                    Add(path.Item(i), $"trace code {codes[i]} appears twice");
                }
            }
        }

        public bool Count<T>(JsonPathTo path, IReadOnlyList<T> items, int max, string what)
        {
            if (items.Count == 0)
            {
                Add(path, $"a message carries at least one of its {what}");
                return false;
            }

            if (items.Count > max)
            {
                Add(path, $"at most {max} {what} in one message, got {items.Count}");
                return false;
            }

            return true;
        }

        public void Text(JsonPathTo path, string? text)
        {
            if (text is null)
            {
                return;
            }

            if (text.Length > MessageSchemas.MaxText)
            {
                Add(path, $"at most {MessageSchemas.MaxText} characters, got {text.Length}");
            }
            else if (text.Any(char.IsControl))
            {
                Add(path, "control characters (newline, tab, ...) are not allowed in text");
            }
        }

        public void Finite(JsonPathTo path, double value)
        {
            if (!double.IsFinite(value))
            {
                Add(path, $"value must be a finite number, got {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        public void NonNegative(JsonPathTo path, double value)
        {
            Finite(path, value);
            if (value < 0)
            {
                Add(path, $"must not be negative, got {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        public void Amount(JsonPathTo path, QuantityValue amount, MeasurementType type)
        {
            if (!MeasurementTypes.Accepts(type, amount.Unit))
            {
                Add(path.Field("unit"), $"unit {amount.Unit.Code()} does not measure {type}; use {string.Join(" or ", MeasurementTypes.UnitsOf(type).Select(u => u.Code()))}");
            }

            NonNegative(path.Field("value"), amount.Value);
        }

        public void CardSource(JsonPathTo at, BatchSource by, CrateTag? card)
        {
            if (by == BatchSource.Card)
            {
                if (card is null)
                {
                    Add(at.Field("card"), "a batch set by card names the card's tag");
                }
                else
                {
                    Tag(at.Field("card"), card);
                }
            }
            else if (card is not null)
            {
                Add(at.Field("card"), $"only a batch set by card has a card; this one was set by {Word(by)}");
            }
        }

        public void Tag(JsonPathTo path, CrateTag tag)
        {
            if ((tag.Epc is null) == (tag.Uid is null))
            {
                Add(path, "a tag has exactly one of \"epc\" (UHF, 24 hex digits) or \"uid\" (HF, 8, 14 or 20 hex digits)");
                return;
            }

            if (tag.Epc is not null && !RfidTags.IsValidEpc(tag.Epc, out var epcError))
            {
                Add(path.Field("epc"), epcError);
            }

            if (tag.Uid is not null && !RfidTags.IsValidUid(tag.Uid, out var uidError))
            {
                Add(path.Field("uid"), uidError);
            }
        }
    }
}
