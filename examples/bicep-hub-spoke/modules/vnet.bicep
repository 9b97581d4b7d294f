// A VNet, and a VPN gateway when it is given a gateway subnet.

param name string
param location string
param addressPrefix string

@description('The GatewaySubnet\'s prefix; empty for a VNet without a gateway.')
param gatewaySubnetPrefix string = ''

var withGateway = !empty(gatewaySubnetPrefix)

resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: name
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: withGateway ? [
      {
        name: 'GatewaySubnet'
        properties: {
          addressPrefix: gatewaySubnetPrefix
        }
      }
    ] : []
  }
}

resource gateway 'Microsoft.Network/virtualNetworkGateways@2023-09-01' = if (withGateway) {
  name: 'vgw-${name}'
  location: location
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: {
      name: 'VpnGw1'
      tier: 'VpnGw1'
    }
    ipConfigurations: [
      {
        name: 'default'
        properties: {
          subnet: {
            id: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'GatewaySubnet')
          }
        }
      }
    ]
  }
}

output id string = vnet.id
output name string = vnet.name
