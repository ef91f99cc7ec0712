import HeraldTime
import HeraldURL

/// Dates as pages print them for readers ("5. März 2024", "March 5th, 2024", "5 de marzo de 2024", "2024年3月5日",
/// "05.03.2024", "2024-03-05"), for pages whose metadata gives none. A printed date has no time zone: it is taken as
/// that day at midnight UTC. A date in the future (more than a day ahead of `now`: the page may be in a zone ahead of
/// UTC) or before 1995 is never returned: a page does not carry an article from before the web, and an event
/// announced for next month is not the publication date.
enum VisibleDate {
    /// The earliest plausible year of a web page's publication.
    static let earliestYear = 1995

    // MARK: Parsing

    /// The first plausible date (day, month and year all present) in `text`. `monthFirst` reads `3/5/2024` as
    /// March 5 (pages in US English); otherwise as 3 May. Dotted and dashed numeric dates are always day first.
    static func parse(_ text: String, monthFirst: Bool = false, now: Instant = .now) -> Instant? {
        let tokens = tokenize(text)
        guard tokens.count >= 3 else { return nil }
        for start in tokens.indices {
            if let date = match(tokens, at: start, monthFirst: monthFirst), plausible(date, now: now) {
                return midnight(date)
            }
        }
        return nil
    }

    struct Day: Equatable {
        var year: Int
        var month: Int
        var day: Int
    }

    static func plausible(_ date: Day, now: Instant) -> Bool {
        guard date.year >= earliestYear, (1...12).contains(date.month), date.day >= 1,
            date.day <= Instant.daysIn(month: date.month, year: date.year)
        else { return false }
        let days = Instant.days(fromCivil: Int64(date.year), date.month, date.day)
        return days * 86400 <= now.secondsSince1970 + 86400
    }

    /// The day at midnight UTC (a printed date has no time zone).
    static func midnight(_ date: Day) -> Instant {
        Instant(secondsSince1970: Instant.days(fromCivil: Int64(date.year), date.month, date.day) * 86400)
    }

    enum Token: Equatable {
        /// A run of ASCII digits: its value, its length, and whether an ordinal suffix followed ("5th", "1er").
        case number(Int, digits: Int, ordinal: Bool)
        /// A run of letters, lowercased; a CJK or Hangul character is a word of its own.
        case word(String)
        case punctuation(Character)
    }

    struct Located {
        var token: Token
        /// Whether whitespace came before this token.
        var spaced: Bool
    }

    static func tokenize(_ text: String) -> [Located] {
        var tokens: [Located] = []
        var spaced = false
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if isWhitespace(scalar) {
                spaced = true
                i += 1
                continue
            }
            if scalar.value >= 0x30, scalar.value <= 0x39 {
                var value = 0
                var digits = 0
                while i < scalars.count, scalars[i].value >= 0x30, scalars[i].value <= 0x39 {
                    if digits < 9 { value = value * 10 + Int(scalars[i].value - 0x30) }
                    digits += 1
                    i += 1
                }
                // An ordinal suffix written against the number: 5th, 1st, 2nd, 3rd, 1er, 1º.
                var ordinal = false
                var j = i
                var suffix = ""
                while j < scalars.count, isLetter(scalars[j]), !isIdeograph(scalars[j]), suffix.count < 3 {
                    suffix.unicodeScalars.append(scalars[j])
                    j += 1
                }
                if ["st", "nd", "rd", "th", "er", "º", "°", "e"].contains(suffix.lowercased()),
                    j == scalars.count || !isLetter(scalars[j])
                {
                    ordinal = true
                    i = j
                }
                tokens.append(Located(token: .number(value, digits: digits, ordinal: ordinal), spaced: spaced))
            } else if isIdeograph(scalar) {
                tokens.append(Located(token: .word(String(Character(scalar))), spaced: spaced))
                i += 1
            } else if isLetter(scalar) {
                // Gathered as UTF-8 (speed: appending to a String's scalars cost about 280 instructions a letter).
                var bytes: [UInt8] = []
                while i < scalars.count, isLetter(scalars[i]), !isIdeograph(scalars[i]) {
                    UTF8.encode(scalars[i]) { bytes.append($0) }
                    i += 1
                }
                let word = String(decoding: bytes, as: UTF8.self)
                tokens.append(Located(token: .word(word.lowercased()), spaced: spaced))
            } else {
                tokens.append(Located(token: .punctuation(Character(scalar)), spaced: spaced))
                i += 1
            }
            spaced = false
        }
        return tokens
    }

    /// Alphabetic and not an ASCII digit. Speed (here and in `isWhitespace`): ASCII, most of a date line, is answered
    /// without Unicode's property tables (about 300 instructions a lookup); its letters are the only ASCII scalars
    /// with the property.
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return Byte.isAlpha(UInt8(scalar.value)) }
        return scalar.properties.isAlphabetic
    }

    /// `properties.isWhitespace` (in ASCII: tab, line feed, vertical tab, form feed, carriage return, space).
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) }
        return scalar.properties.isWhitespace
    }

    /// CJK ideographs and Hangul syllables (年, 月, 日, 년, 월, 일 are words of their own).
    private static func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x3040...0x30FF).contains(v) || (0x3400...0x9FFF).contains(v) || (0xAC00...0xD7AF).contains(v)
            || (0xF900...0xFAFF).contains(v)
    }

    // MARK: Patterns

    private static func match(_ tokens: [Located], at start: Int, monthFirst: Bool) -> Day? {
        guard case .number(let first, let firstDigits, let firstOrdinal) = tokens[start].token else {
            if case .word(let word) = tokens[start].token, let month = monthNames[word] {
                return monthDayYear(tokens, at: start, month: month)
            }
            return nil
        }
        // Not inside a longer numeric run ("1.5.2.2024", a version, a phone number).
        if start >= 2, case .punctuation = tokens[start - 1].token, !tokens[start - 1].spaced, !tokens[start].spaced,
            case .number = tokens[start - 2].token
        {
            return nil
        }
        if firstDigits == 4, !firstOrdinal {
            return yearFirst(tokens, at: start, year: first)
        }
        guard firstDigits <= 2 else { return nil }
        return numericDayFirst(tokens, at: start, first: first, monthFirst: monthFirst)
            ?? dayMonthYear(tokens, at: start, day: first)
    }

    /// 2024-03-05, 2024/03/05, 2024.03.05; 2024年3月5日, 2024년 3월 5일; 2024. március 5.
    private static func yearFirst(_ tokens: [Located], at start: Int, year: Int) -> Day? {
        var i = start + 1
        guard i < tokens.count else { return nil }
        if case .punctuation(let separator) = tokens[i].token, "-/.".contains(separator), !tokens[i].spaced,
            i + 3 < tokens.count,
            case .number(let month, let monthDigits, false) = tokens[i + 1].token, monthDigits <= 2,
            !tokens[i + 1].spaced,
            case .punctuation(separator) = tokens[i + 2].token, !tokens[i + 2].spaced,
            case .number(let day, let dayDigits, _) = tokens[i + 3].token, dayDigits <= 2, !tokens[i + 3].spaced
        {
            return Day(year: year, month: month, day: day)
        }
        // CJK: 年 月 日 (Korean 년 월 일).
        if case .word(let yearMark) = tokens[i].token, yearMark == "年" || yearMark == "년", i + 4 < tokens.count + 1,
            i + 3 < tokens.count,
            case .number(let month, let monthDigits, _) = tokens[i + 1].token, monthDigits <= 2,
            case .word(let monthMark) = tokens[i + 2].token, monthMark == "月" || monthMark == "월",
            case .number(let day, let dayDigits, _) = tokens[i + 3].token, dayDigits <= 2
        {
            return Day(year: year, month: month, day: day)
        }
        // Year, month name, day (Hungarian "2024. március 5.", "2024 March 5").
        if case .punctuation(".") = tokens[i].token { i += 1 }
        if i + 1 < tokens.count, case .word(let name) = tokens[i].token, let month = monthNames[name] {
            var j = i + 1
            if j < tokens.count, case .punctuation(".") = tokens[j].token { j += 1 }
            if j < tokens.count, case .number(let day, let dayDigits, _) = tokens[j].token, dayDigits <= 2 {
                return Day(year: year, month: month, day: day)
            }
        }
        return nil
    }

    /// 05.03.2024 and 05-03-2024 (day first); 05/03/2024 (day first, or month first in US English).
    private static func numericDayFirst(_ tokens: [Located], at start: Int, first: Int, monthFirst: Bool) -> Day? {
        guard start + 4 < tokens.count,
            case .punctuation(let separator) = tokens[start + 1].token, "-/.".contains(separator),
            !tokens[start + 1].spaced,
            case .number(let second, let secondDigits, false) = tokens[start + 2].token, secondDigits <= 2,
            !tokens[start + 2].spaced,
            case .punctuation(separator) = tokens[start + 3].token, !tokens[start + 3].spaced,
            case .number(let year, 4, false) = tokens[start + 4].token, !tokens[start + 4].spaced
        else { return nil }
        // Not part of a longer numeric run (a version number, a phone number).
        if start + 5 < tokens.count, case .punctuation(separator) = tokens[start + 5].token, !tokens[start + 5].spaced,
            start + 6 < tokens.count, case .number = tokens[start + 6].token
        {
            return nil
        }
        if separator == "/", monthFirst || second > 12 {
            return first > 12 ? Day(year: year, month: second, day: first) : Day(year: year, month: first, day: second)
        }
        return Day(year: year, month: second, day: first)
    }

    /// Words allowed between the parts of a written date: "5 de marzo de 2024", "5th of March, 2024".
    private static let fillers: Set<String> = ["de", "del", "of", "the", "di", "van", "den"]

    /// 5. März 2024, 5 March 2024, 5th of March, 2024, 5 de marzo de 2024, 5 mars 2024.
    private static func dayMonthYear(_ tokens: [Located], at start: Int, day: Int) -> Day? {
        var i = start + 1
        if i < tokens.count, case .punctuation(".") = tokens[i].token { i += 1 }
        while i < tokens.count, case .word(let word) = tokens[i].token, fillers.contains(word) { i += 1 }
        guard i < tokens.count, case .word(let name) = tokens[i].token, let month = monthNames[name] else { return nil }
        i += 1
        return year(tokens, from: i).map { Day(year: $0, month: month, day: day) }
    }

    /// March 5, 2024; Mar. 5th 2024; March 5 2024.
    private static func monthDayYear(_ tokens: [Located], at start: Int, month: Int) -> Day? {
        var i = start + 1
        if i < tokens.count, case .punctuation(".") = tokens[i].token { i += 1 }
        guard i < tokens.count, case .number(let day, let digits, _) = tokens[i].token, digits <= 2 else { return nil }
        i += 1
        return year(tokens, from: i).map { Day(year: $0, month: month, day: day) }
    }

    /// A four-digit year after a month, past ".", ",", "de".
    private static func year(_ tokens: [Located], from start: Int) -> Int? {
        var i = start
        var skipped = 0
        while i < tokens.count, skipped < 2 {
            switch tokens[i].token {
            case .punctuation(let mark) where mark == "." || mark == ",":
                i += 1
                skipped += 1
            case .word(let word) where fillers.contains(word):
                i += 1
                skipped += 1
            default:
                skipped = 2
            }
        }
        guard i < tokens.count, case .number(let year, 4, false) = tokens[i].token else { return nil }
        // Not the start of a longer number ("2024,5").
        return year
    }

    /// Month names and their usual abbreviations in the languages of the news sites Herald meets.
    static let monthNames: [String: Int] = {
        let lists: [[String]] = [
            // English
            [
                "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december",
            ],
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            // German (and Austrian Jänner, Feber)
            [
                "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
                "november", "dezember",
            ],
            ["jan", "feb", "mrz", "apr", "mai", "jun", "jul", "aug", "sept", "okt", "nov", "dez"],
            // French
            [
                "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre",
            ],
            ["janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"],
            // Spanish
            [
                "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                "noviembre", "diciembre",
            ],
            ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "setiembre", "oct", "nov", "dic"],
            // Italian
            [
                "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                "ottobre", "novembre", "dicembre",
            ],
            ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
            // Portuguese
            [
                "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
                "novembro", "dezembro",
            ],
            ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"],
            // Dutch
            [
                "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                "november", "december",
            ],
            ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
            // Polish (genitive, as dates write them, and nominative)
            [
                "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
                "października", "listopada", "grudnia",
            ],
            [
                "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
                "październik", "listopad", "grudzień",
            ],
            // Swedish, Danish, Norwegian
            [
                "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
                "november", "december",
            ],
            [
                "januar", "februar", "marts", "april", "mai", "juni", "juli", "august", "september", "oktober",
                "november", "desember",
            ],
            // Finnish (partitive, as dates write them)
            [
                "tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta", "heinäkuuta",
                "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta",
            ],
            // Russian (genitive)
            [
                "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                "ноября", "декабря",
            ],
            // Hungarian
            [
                "január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember",
                "október", "november", "december",
            ],
            // Turkish
            [
                "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım",
                "aralık",
            ],
        ]
        // Other spellings: Austrian German, French and German without accents.
        var names: [String: Int] = [
            "jänner": 1, "feber": 2, "maerz": 3, "fevrier": 2, "fév": 2, "aout": 8, "decembre": 12, "sept": 9,
        ]
        for list in lists {
            precondition(list.count == 12, "a month list has twelve names")
            for (index, name) in list.enumerated() where names[name] == nil { names[name] = index + 1 }
        }
        return names
    }()
}
