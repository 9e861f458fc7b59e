//! Reads the number in a COUNT mention ("four militants" → 4, "15 militants" → 15),
//! used to prefill a count span's `value` attribute.

/// The number a count phrase states, from its first digits or English number words.
pub fn count_value(text: &str) -> Option<u64> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    for (i, w) in words.iter().enumerate() {
        let digits: String = w.chars().filter(|c| *c != ',').collect();
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            return digits.parse().ok();
        }
        if small_number(w).is_some() || w == "a" && words.get(i + 1).is_some_and(|n| n == "dozen") {
            return number_words(&words[i..]);
        }
    }
    None
}

fn small_number(w: &str) -> Option<u64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u64);
    }
    TENS.iter()
        .position(|t| *t == w)
        .map(|i| (i as u64 + 2) * 10)
}

/// Sums a run of number words such as "two hundred and forty five".
fn number_words(words: &[String]) -> Option<u64> {
    let (mut total, mut current, mut seen) = (0u64, 0u64, false);
    for w in words {
        match w.as_str() {
            "and" if seen => {}
            "a" if !seen => current = 1,
            "dozen" => current = current.max(1) * 12,
            "hundred" => current = current.max(1) * 100,
            "thousand" => {
                total += current.max(1) * 1000;
                current = 0;
            }
            w => match small_number(w) {
                Some(n) => current += n,
                None => break,
            },
        }
        seen = true;
    }
    seen.then_some(total + current)
}

#[cfg(test)]
mod tests {
    use super::count_value;

    #[test]
    fn digits_and_words() {
        assert_eq!(count_value("15 militants"), Some(15));
        assert_eq!(count_value("four militants"), Some(4));
        assert_eq!(count_value("three bodies"), Some(3));
        assert_eq!(count_value("Twenty-five people"), Some(25));
        assert_eq!(count_value("two hundred and forty five"), Some(245));
        assert_eq!(count_value("a dozen fighters"), Some(12));
        assert_eq!(count_value("1,200 families"), Some(1200));
        assert_eq!(count_value("militants"), None);
    }
}
