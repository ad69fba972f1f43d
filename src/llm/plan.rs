//! Pure routing: which provider/model pairs to try, in which order.

use super::LlmError;

/// What the planner needs to know about one provider.
#[derive(Debug, Clone)]
pub(crate) struct Candidate<'a> {
    pub name: &'a str,
    pub priority: i32,
    pub models: &'a [String],
    /// The breaker admits requests right now.
    pub available: bool,
}

/// One attempt of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    /// Index into the provider list.
    pub index: usize,
    /// Model to ask for (`None`: the provider has no default; the attempt fails `NoModel`).
    pub model: Option<String>,
    /// The caller named this model: "model not found" ends the chain.
    pub explicit_model: bool,
}

/// Plans the attempts for a request.
///
/// Primary: the named provider (with the named model, else the selected model if the
/// selection is on that provider, else its first model); else, for a named model alone, the
/// first provider by priority that lists it (else the selected provider, else the best
/// available one); else the selected default; else the highest-priority provider whose
/// breaker admits requests. Fallbacks: every other available provider by priority (ties keep
/// configuration order), each with the named model if it lists it, else its first model;
/// providers without any model are skipped.
pub(crate) fn plan(
    providers: &[Candidate<'_>],
    req_provider: Option<&str>,
    req_model: Option<&str>,
    selected: Option<(&str, &str)>,
) -> Result<Vec<Step>, LlmError> {
    if providers.is_empty() {
        return Err(LlmError::NoProviders);
    }
    let mut order: Vec<usize> = (0..providers.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(providers[i].priority));
    let find = |name: &str| providers.iter().position(|p| p.name == name);
    let best_available = || {
        order
            .iter()
            .copied()
            .find(|&i| providers[i].available)
            .unwrap_or(order[0])
    };
    let first_model = |i: usize| providers[i].models.first().cloned();
    let selected_idx = selected.and_then(|(p, m)| find(p).map(|i| (i, m.to_string())));

    let primary = match (req_provider, req_model) {
        (Some(name), model) => {
            let i = find(name).ok_or_else(|| LlmError::UnknownProvider(name.to_string()))?;
            let m = match model {
                Some(m) => Some(m.to_string()),
                None => match &selected_idx {
                    Some((si, sm)) if *si == i => Some(sm.clone()),
                    _ => first_model(i),
                },
            };
            Step {
                index: i,
                model: m,
                explicit_model: model.is_some(),
            }
        }
        (None, Some(model)) => {
            let i = order
                .iter()
                .copied()
                .find(|&i| providers[i].models.iter().any(|m| m == model))
                .or_else(|| selected_idx.as_ref().map(|(i, _)| *i))
                .unwrap_or_else(best_available);
            Step {
                index: i,
                model: Some(model.to_string()),
                explicit_model: true,
            }
        }
        (None, None) => match selected_idx {
            Some((i, m)) => Step {
                index: i,
                model: Some(m),
                explicit_model: false,
            },
            None => {
                let i = best_available();
                Step {
                    index: i,
                    model: first_model(i),
                    explicit_model: false,
                }
            }
        },
    };
    let mut steps = vec![primary.clone()];
    for i in order {
        if i == primary.index || !providers[i].available {
            continue;
        }
        let model = match req_model {
            Some(m) if providers[i].models.iter().any(|x| x == m) => Some(m.to_string()),
            _ => first_model(i),
        };
        if let Some(model) = model {
            steps.push(Step {
                index: i,
                explicit_model: req_model == Some(model.as_str()),
                model: Some(model),
            });
        }
    }
    Ok(steps)
}
