//! The v1 Endpoints object as the store keeps it: k8s-openapi's fields,
//! with each address behind an `Rc`. The endpoints controller writes a new
//! version of a 1,000-address object whenever one address comes or goes;
//! sharing the others with the version before turns that from 1,000 copied
//! (and later freed) addresses into 1,000 reference counts. It encodes and
//! decodes as k8s-openapi's Endpoints, so clients see the same JSON.

use std::ops::Deref;
use std::rc::Rc;

use k8s_openapi::api::core::v1 as api;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Endpoints {
    pub metadata: ObjectMeta,
    pub subsets: Option<Vec<EndpointSubset>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointSubset {
    pub addresses: Option<Vec<Address>>,
    pub not_ready_addresses: Option<Vec<Address>>,
    pub ports: Option<Vec<api::EndpointPort>>,
}

/// One address, shared by every version of the object that lists it.
#[derive(Clone, Debug)]
pub struct Address(Rc<api::EndpointAddress>);

impl Address {
    pub fn new(address: api::EndpointAddress) -> Address {
        Address(Rc::new(address))
    }
}

impl Deref for Address {
    type Target = api::EndpointAddress;

    fn deref(&self) -> &api::EndpointAddress {
        &self.0
    }
}

impl PartialEq for Address {
    /// Shared addresses are equal without looking: versions of one object
    /// mostly share theirs, and the store compares every write with the
    /// version before.
    fn eq(&self, other: &Address) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

fn shared(list: Option<Vec<api::EndpointAddress>>) -> Option<Vec<Address>> {
    list.map(|l| l.into_iter().map(Address::new).collect())
}

fn unshared(list: &Option<Vec<Address>>) -> Option<Vec<api::EndpointAddress>> {
    list.as_ref()
        .map(|l| l.iter().map(|a| (**a).clone()).collect())
}

impl From<api::Endpoints> for Endpoints {
    fn from(endpoints: api::Endpoints) -> Endpoints {
        let subsets = endpoints.subsets.map(|subsets| {
            subsets
                .into_iter()
                .map(|s| EndpointSubset {
                    addresses: shared(s.addresses),
                    not_ready_addresses: shared(s.not_ready_addresses),
                    ports: s.ports,
                })
                .collect()
        });
        Endpoints {
            metadata: endpoints.metadata,
            subsets,
        }
    }
}

impl Endpoints {
    /// The object as k8s-openapi's type, for encoding.
    fn unshared(&self) -> api::Endpoints {
        let subsets = self.subsets.as_ref().map(|subsets| {
            subsets
                .iter()
                .map(|s| api::EndpointSubset {
                    addresses: unshared(&s.addresses),
                    not_ready_addresses: unshared(&s.not_ready_addresses),
                    ports: s.ports.clone(),
                })
                .collect()
        });
        api::Endpoints {
            metadata: self.metadata.clone(),
            subsets,
        }
    }
}

impl Serialize for Endpoints {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.unshared().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Endpoints {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Endpoints, D::Error> {
        api::Endpoints::deserialize(deserializer).map(Endpoints::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(ip: &str) -> api::EndpointAddress {
        api::EndpointAddress {
            ip: ip.to_string(),
            hostname: Some("web-0".to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn it_encodes_and_decodes_as_the_api_type() {
        let api = api::Endpoints {
            metadata: ObjectMeta {
                name: Some("nginx".to_string()),
                ..Default::default()
            },
            subsets: Some(vec![api::EndpointSubset {
                addresses: Some(vec![address("10.244.1.2")]),
                not_ready_addresses: Some(vec![address("10.244.2.2")]),
                ports: Some(vec![api::EndpointPort {
                    port: 80,
                    ..Default::default()
                }]),
            }]),
        };
        let expected = serde_json::to_value(&api).unwrap();
        let ours = Endpoints::from(api);
        assert_eq!(serde_json::to_value(&ours).unwrap(), expected);
        let decoded: Endpoints = serde_json::from_value(expected).unwrap();
        assert_eq!(decoded, ours);
    }

    #[test]
    fn addresses_compare_by_content_whether_shared_or_not() {
        let one = Address::new(address("10.244.1.2"));
        assert_eq!(one, one.clone());
        assert_eq!(one, Address::new(address("10.244.1.2")));
        assert_ne!(one, Address::new(address("10.244.1.3")));
    }
}
