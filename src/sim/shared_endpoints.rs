//! Endpoints and EndpointSlices as the store keeps them: k8s-openapi's
//! fields, with each address (each endpoint of a slice) behind an `Rc`. The
//! endpoints controllers write a new version of a 1,000-address object (a
//! 100-endpoint slice) whenever one pod comes, goes or changes; sharing the
//! others with the version before turns that from copied and later freed
//! addresses into reference counts. Both encode and decode as k8s-openapi's
//! types, so clients see the same JSON.

use std::ops::Deref;
use std::rc::Rc;

use k8s_openapi::api::core::v1 as api;
use k8s_openapi::api::discovery::v1 as discovery;
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

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointSlice {
    pub metadata: ObjectMeta,
    pub address_type: String,
    pub endpoints: Vec<Endpoint>,
    pub ports: Option<Vec<discovery::EndpointPort>>,
}

/// One entry of a list, shared by every version of the object that lists it.
#[derive(Clone, Debug)]
pub struct Shared<T>(Rc<T>);

pub type Address = Shared<api::EndpointAddress>;
pub type Endpoint = Shared<discovery::Endpoint>;

impl<T> Shared<T> {
    pub fn new(entry: T) -> Shared<T> {
        Shared(Rc::new(entry))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    /// Shared entries are equal without looking: versions of one object
    /// mostly share theirs, and the store compares every write with the
    /// version before.
    fn eq(&self, other: &Shared<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

fn shared<T>(list: Vec<T>) -> Vec<Shared<T>> {
    list.into_iter().map(Shared::new).collect()
}

fn unshared<T: Clone>(list: &[Shared<T>]) -> Vec<T> {
    list.iter().map(|entry| T::clone(entry)).collect()
}

impl From<api::Endpoints> for Endpoints {
    fn from(endpoints: api::Endpoints) -> Endpoints {
        let subsets = endpoints.subsets.map(|subsets| {
            subsets
                .into_iter()
                .map(|s| EndpointSubset {
                    addresses: s.addresses.map(shared),
                    not_ready_addresses: s.not_ready_addresses.map(shared),
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
                    addresses: s.addresses.as_deref().map(unshared),
                    not_ready_addresses: s.not_ready_addresses.as_deref().map(unshared),
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

impl From<discovery::EndpointSlice> for EndpointSlice {
    fn from(slice: discovery::EndpointSlice) -> EndpointSlice {
        EndpointSlice {
            metadata: slice.metadata,
            address_type: slice.address_type,
            endpoints: shared(slice.endpoints),
            ports: slice.ports,
        }
    }
}

impl Serialize for EndpointSlice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        discovery::EndpointSlice {
            metadata: self.metadata.clone(),
            address_type: self.address_type.clone(),
            endpoints: unshared(&self.endpoints),
            ports: self.ports.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for EndpointSlice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<EndpointSlice, D::Error> {
        discovery::EndpointSlice::deserialize(deserializer).map(EndpointSlice::from)
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
    fn a_slice_encodes_and_decodes_as_the_api_type() {
        let api = discovery::EndpointSlice {
            metadata: ObjectMeta {
                name: Some("nginx-abcde".to_string()),
                ..Default::default()
            },
            address_type: "IPv4".to_string(),
            endpoints: vec![discovery::Endpoint {
                addresses: vec!["10.244.1.2".to_string()],
                hostname: Some("web-0".to_string()),
                ..Default::default()
            }],
            ports: None,
        };
        let expected = serde_json::to_value(&api).unwrap();
        let ours = EndpointSlice::from(api);
        assert_eq!(serde_json::to_value(&ours).unwrap(), expected);
        let decoded: EndpointSlice = serde_json::from_value(expected).unwrap();
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
